using Ivr.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ivr.Hosting;

/// <summary>Ready only while the database answers and its schema is at the migration this build expects.</summary>
public sealed class DatabaseReadyCheck(Migrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var applied = await migrator.AppliedVersionAsync(cancellationToken);
            return applied == Migrator.LatestVersion
                ? HealthCheckResult.Healthy($"schema at migration {applied}")
                : HealthCheckResult.Unhealthy($"schema at migration {applied?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, this build expects {Migrator.LatestVersion}: run ivr db migrate");
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the database cannot be reached", e);
        }
    }
}
