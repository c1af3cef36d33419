using Ivr.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ivr.Hosting;

/// <summary>Ready only while the database answers and has every migration this build carries.</summary>
public sealed class DatabaseReadyCheck(Migrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = await migrator.PendingAsync(cancellationToken);
            return pending.Count == 0
                ? HealthCheckResult.Healthy("the schema is current")
                : HealthCheckResult.Unhealthy($"the schema lacks {string.Join(", ", pending)}: run ivr db migrate");
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the database cannot be reached", e);
        }
    }
}
