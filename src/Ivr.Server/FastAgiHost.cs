using Ivr.CallFlow;
using Ivr.FastAgi;
using Ivr.Domain;
using Ivr.Hosting;
using Ivr.Server.Audit;
using Ivr.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ivr.Server;

/// <summary>
/// <c>ivr serve</c>'s host: Kestrel listening on <c>IVR_LISTEN</c> with the FastAGI connection handler, the
/// temporary-password script, the store, and the operations endpoints. Tests build the very same host.
/// </summary>
public static class FastAgiHost
{
    /// <summary>Extra time Kestrel gives calls on shutdown after the grace period: enough for system-error and HANGUP, or a readback and completed.</summary>
    public static readonly TimeSpan EndingTime = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Lets socket completions run where the kernel reported them (.NET's <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>,
    /// read once, when the process first uses a socket): the other half of Kestrel's inline scheduling, so a reply from
    /// Asterisk reaches its call without passing through the thread pool (docs/benchmarks.md). For the process that
    /// serves calls only, before its first socket; an operator's own setting of the variable wins.
    /// </summary>
    public static void CompleteSocketsInline()
    {
        const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }

    public static WebApplication Build(IConfiguration configuration, Action<ILoggingBuilder>? configureLogging = null)
    {
        var builder = IvrHosting.CreateBuilder(configuration, configureLogging, applicationName: null, contentRoot: AppContext.BaseDirectory);
        var services = builder.Services;
        // A call's work is short and never blocks (the slow hash runs on the thread pool, a spooled audit row after
        // a hop): it runs on the socket thread that read the reply, with no hop to the thread pool per command.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        services.AddIvrStore(configuration);
        services.AddValidatedOptions<ServerOptions, ServerOptionsValidator>(configuration);
        services.AddValidatedOptions<CallFlowOptions, CallFlowOptionsValidator>(configuration);
        services.AddSingleton<CallFlowMetrics>();
        services.AddValidatedOptions<CallTraceOptions, CallTraceOptionsValidator>(configuration);
        services.AddHostedService<CallTraceCleanup>();
        // No audit row lost (issue 14): the store's audit log behind a spool on this server's disk, drained in the background.
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<AuditSpool>();
        services.Replace(ServiceDescriptor.Singleton<IAuditLog, SpooledAuditLog>());
        services.AddHostedService<AuditSpoolDrain>();
        services.AddSingleton(provider => new FastAgiLimits { AllowedPeers = NetworkList.Parse(Server(provider).AgiAllow), MaxConcurrentCalls = Server(provider).MaxCalls });
        services.AddSingleton<IAgiScript, TemporaryPasswordScript>();
        services.AddSingleton(provider => new FastAgiShutdown(
            provider.GetRequiredService<IHostApplicationLifetime>(), Server(provider).ShutdownGracePeriod, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<FastAgiMetrics>();
        services.AddSingleton<FastAgiConnectionHandler>();
        services.AddHostedService<MemoryRelease>();
        services.AddOptions<HostOptions>().Configure<IOptions<ServerOptions>>((host, server) => host.ShutdownTimeout = server.Value.ShutdownGracePeriod + EndingTime);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServerOptions>>((kestrel, server) =>
            kestrel.Listen(EndPoints.Parse(server.Value.Listen, "IVR_LISTEN"), endpoint => endpoint.UseConnectionHandler<FastAgiConnectionHandler>()));
        builder.AddOperations(
            provider => EndPoints.ParseOptional(Server(provider).OperationsListen, "IVR_OPERATIONS_LISTEN"),
            checks => checks.AddCheck<FastAgiListenerCheck>("fastagi", tags: [IvrHosting.ReadyTag]));

        var app = builder.Build();
        app.MapOperations();
        return app;
    }

    /// <summary>The FastAGI address the server is bound to (useful when <c>IVR_LISTEN</c> asked for port 0).</summary>
    public static Uri BoundAddress(WebApplication app)
    {
        var agiPort = EndPoints.Parse(Server(app.Services).Listen, "IVR_LISTEN").Port;
        var operations = app.Services.GetRequiredService<IvrHosting.OperationsListener>().EndPoint?.Port;
        return IvrHosting.Addresses(app).First(address => agiPort != 0 ? address.Port == agiPort : address.Port != operations);
    }

    private static ServerOptions Server(IServiceProvider provider) => provider.GetRequiredService<IOptions<ServerOptions>>().Value;
}
