using Ivr.CallFlow;
using Ivr.Cli.Composition;
using Ivr.Cli.Configuration;
using Ivr.FastAgi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NLog.Extensions.Logging;

namespace Ivr.Cli.Serving;

/// <summary>
/// <c>ivr serve</c>'s host: Kestrel listening on <c>IVR_LISTEN</c> with the FastAGI connection handler, the
/// temporary-password script, and the store. Tests build the very same host on a free loopback port.
/// </summary>
public static class FastAgiHost
{
    public static WebApplication Build(IConfiguration configuration, Action<ILoggingBuilder>? configureLogging = null)
    {
        var listen = IvrSettings.Listen(configuration);
        var limits = IvrSettings.Limits(configuration);
        var callFlow = IvrSettings.CallFlow(configuration);
        var grace = IvrSettings.ShutdownGracePeriod(configuration);
        var store = StoreConnection.Open(configuration);
        _ = store.Hasher; // a missing pepper is a start-up error, not the first caller's system-error

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders();
        if (configureLogging is null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Trace).AddNLog();
        }
        else
        {
            configureLogging(builder.Logging);
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(limits);
        builder.Services.AddSingleton(callFlow);
        builder.Services.AddSingleton(_ => store); // made by a factory, so the container disposes its data source
        builder.Services.AddSingleton<IContractDirectory>(store.Directory);
        builder.Services.AddSingleton<ICredentialStore>(store.Credentials);
        builder.Services.AddSingleton<IAuditLog>(store.Audit);
        var callKey = IvrSettings.CallKey(configuration) is { } key ? new AgiCallKey(key) : null;
        builder.Services.AddSingleton<IAgiScript>(provider => new TemporaryPasswordScript(
            store.Directory, store.Credentials, store.Audit, callFlow, TimeProvider.System,
            provider.GetRequiredService<ILogger<TemporaryPasswordCall>>(), callKey));
        builder.Services.AddSingleton(provider => new FastAgiShutdown(provider.GetRequiredService<IHostApplicationLifetime>(), grace, TimeProvider.System));
        builder.Services.AddSingleton<FastAgiConnectionHandler>();
        // Kestrel waits this long for calls to finish on shutdown: the grace period, then time for system-error.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = grace + TimeSpan.FromSeconds(10));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(listen, endpoint => endpoint.UseConnectionHandler<FastAgiConnectionHandler>());
        });
        return builder.Build();
    }

    /// <summary>The address the server is bound to (useful when <c>IVR_LISTEN</c> asked for port 0).</summary>
    public static Uri BoundAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
