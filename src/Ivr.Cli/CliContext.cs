using Microsoft.Extensions.Configuration;

namespace Ivr.Cli;

/// <summary>What every command runs against: the console it answers on and the configuration it reads.</summary>
/// <remarks>Tests pass string writers and an in-memory configuration; <c>Program</c> passes the process's own.</remarks>
public sealed class CliContext(TextWriter output, TextWriter error, TextReader input, IConfiguration configuration)
{
    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;
    public TextReader Input { get; } = input;
    public IConfiguration Configuration { get; } = configuration;
}
