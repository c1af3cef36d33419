using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NLog.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Ivr.Hosting;

/// <summary>
/// What <c>ivr serve</c> and <c>ivr web</c> host the same way: the configuration, logs through NLog (nlog.config,
/// <c>IVR_LOG_LEVEL</c>, <c>IVR_LOG_FORMAT=json</c>), metrics in Prometheus format and health endpoints on an
/// operations listener of their own, never on the port callers or subscribers reach.
/// </summary>
public static class IvrHosting
{
    /// <summary>Liveness: the process answers. Readiness: every check tagged <see cref="ReadyTag"/> passes.</summary>
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string MetricsPath = "/metrics";
    public const string ReadyTag = "ready";

    /// <summary>
    /// A slim web host over <paramref name="configuration"/> and no other source, logging as every program does;
    /// <paramref name="contentRoot"/> null keeps the working directory.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(
        IConfiguration configuration, Action<ILoggingBuilder>? configureLogging, string? applicationName, string? contentRoot)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = applicationName, ContentRootPath = contentRoot });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders();
        (configureLogging ?? AddIvrLogging).Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    /// <summary>
    /// The programs' logs: NLog as nlog.config (beside the program) says, every level left to it. No layout prints a
    /// scope, so none is kept: Kestrel opens one per connection, which cost every call an object it held to its end.
    /// </summary>
    public static void AddIvrLogging(ILoggingBuilder logging) =>
        logging.SetMinimumLevel(LogLevel.Trace).AddNLog(new NLogProviderOptions { IncludeScopes = false });

    /// <summary>
    /// Metrics of every <c>Ivr.*</c> meter and the .NET runtime, exported in Prometheus format, and the health
    /// checks (the database ready, plus <paramref name="addChecks"/>), served by <see cref="MapOperations"/> on the
    /// listener <paramref name="listener"/> names from the program's validated options (null: none).
    /// </summary>
    public static WebApplicationBuilder AddOperations(
        this WebApplicationBuilder builder, Func<IServiceProvider, IPEndPoint?> listener, Action<IHealthChecksBuilder>? addChecks = null)
    {
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Ivr.*")
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        var checks = builder.Services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: [ReadyTag]);
        addChecks?.Invoke(checks);
        builder.Services.AddSingleton(provider => new OperationsListener(listener(provider)));
        builder.Services.AddOptions<KestrelServerOptions>().Configure<OperationsListener>((kestrel, operations) =>
        {
            if (operations.EndPoint is { } endPoint)
            {
                kestrel.Listen(endPoint);
            }
        });
        return builder;
    }

    /// <summary>
    /// Maps the health and metrics endpoints. They answer on the operations listener only, and that listener answers
    /// nothing else, so neither callers' nor subscribers' ports expose them.
    /// </summary>
    public static WebApplication MapOperations(this WebApplication app)
    {
        var operations = app.Services.GetRequiredService<OperationsListener>();
        app.Use((context, next) =>
        {
            var onOperations = operations.EndPoint is { } endPoint && context.Connection.LocalPort == endPoint.Port;
            if (onOperations != IsOperationsPath(context.Request.Path))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return next(context);
        });
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    /// <summary>The addresses a started host is bound to, in the order its listeners were added.</summary>
    public static IReadOnlyList<Uri> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(address => new Uri(address)).ToList();

    private static bool IsOperationsPath(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments(MetricsPath);

    /// <summary>The operations listener of this program, once its options are validated.</summary>
    public sealed record OperationsListener(IPEndPoint? EndPoint);
}
