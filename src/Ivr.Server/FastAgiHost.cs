using Ivr.CallFlow;
using Ivr.FastAgi;
using Ivr.Domain;
using Ivr.Hosting;
using Ivr.Server.Audit;
using Ivr.Store;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ivr.Server;

/// <summary>
/// <c>ivr serve</c>'s host: the FastAGI listener on <c>IVR_LISTEN</c> with the temporary-password script, the store,
/// and the operations endpoints (Kestrel, on their own listener, or no web server at all when they are off). Tests
/// build the very same host.
/// </summary>
public static class FastAgiHost
{
    /// <summary>Extra time the listener gives calls on shutdown after the grace period: enough for system-error and HANGUP, or a readback and completed.</summary>
    public static readonly TimeSpan EndingTime = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Lets socket completions run where the kernel reported them (.NET's <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>,
    /// read once, when the process first uses a socket), so a reply from Asterisk reaches its call without passing
    /// through the thread pool (docs/benchmarks.md). A call's work is short and never blocks (the slow hash runs on the
    /// thread pool, a spooled audit row after a hop). For the process that serves calls only, before its first socket;
    /// an operator's own setting of the variable wins.
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
        // Registered after the audit spool's drain: hosted services stop in reverse order, so calls end (and spool
        // their rows) before the drain stops.
        services.AddSingleton(provider => new FastAgiListener(
            EndPoints.Parse(Server(provider).Listen, "IVR_LISTEN"), provider.GetRequiredService<FastAgiConnectionHandler>(),
            provider.GetRequiredService<ILogger<FastAgiListener>>()));
        services.AddHostedService(provider => provider.GetRequiredService<FastAgiListener>());
        NoWebServerWithoutOperations(services);
        builder.AddOperations(
            provider => EndPoints.ParseOptional(Server(provider).OperationsListen, "IVR_OPERATIONS_LISTEN"),
            checks => checks.AddCheck<FastAgiListenerCheck>("fastagi", tags: [IvrHosting.ReadyTag]));

        var app = builder.Build();
        app.MapOperations();
        return app;
    }

    /// <summary>The FastAGI address the started server is bound to (the port chosen when <c>IVR_LISTEN</c> asked for 0).</summary>
    public static IPEndPoint BoundEndPoint(WebApplication app) =>
        app.Services.GetRequiredService<FastAgiListener>().LocalEndPoint ?? throw new InvalidOperationException("the server is not started");

    // Kestrel serves the operations endpoints only; with them off it would take its default port, so none runs then.
    private static void NoWebServerWithoutOperations(IServiceCollection services)
    {
        var kestrel = services.Last(service => service.ServiceType == typeof(IServer)).ImplementationType!;
        services.Replace(ServiceDescriptor.Singleton<IServer>(provider =>
            provider.GetRequiredService<IvrHosting.OperationsListener>().EndPoint is null
                ? new NoWebServer()
                : (IServer)ActivatorUtilities.CreateInstance(provider, kestrel)));
    }

    private sealed class NoWebServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
            Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }

    private static ServerOptions Server(IServiceProvider provider) => provider.GetRequiredService<IOptions<ServerOptions>>().Value;
}
