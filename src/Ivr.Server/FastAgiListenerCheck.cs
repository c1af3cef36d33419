using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Ivr.Server;

/// <summary>Ready while the FastAGI listener accepts calls: from the host's start until a stop begins (then new calls should go elsewhere).</summary>
public sealed class FastAgiListenerCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("the server is stopping")
            : lifetime.ApplicationStarted.IsCancellationRequested ? HealthCheckResult.Healthy("accepting FastAGI calls")
            : HealthCheckResult.Unhealthy("the server is starting"));
}
