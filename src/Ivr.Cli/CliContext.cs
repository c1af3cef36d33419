using Ivr.Hosting;
using Ivr.Server;
using Ivr.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ivr.Cli;

/// <summary>What every command runs against: the console it answers on, the configuration it reads, and how it composes the store.</summary>
/// <remarks>Tests pass string writers and an in-memory configuration; <c>Program</c> passes the process's own.</remarks>
public sealed class CliContext(TextWriter output, TextWriter error, TextReader input, IConfiguration configuration, Action<ILoggingBuilder>? configureLogging = null)
{
    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;
    public TextReader Input { get; } = input;
    public IConfiguration Configuration { get; } = configuration;

    /// <summary>How the programs log; tests capture it.</summary>
    public Action<ILoggingBuilder> ConfigureLogging { get; } = configureLogging ?? IvrHosting.AddIvrLogging;

    /// <summary>
    /// The services a command uses, composed as <c>ivr serve</c> composes them (<see cref="StoreServiceCollectionExtensions.AddIvrStore"/>,
    /// the server's options for the lab's defaults), each options section checked when first needed.
    /// </summary>
    public ServiceProvider CreateServices() => new ServiceCollection()
        .AddLogging(ConfigureLogging)
        .AddIvrStore(Configuration)
        .AddValidatedOptions<ServerOptions, ServerOptionsValidator>(Configuration)
        .BuildServiceProvider();
}
