using Ivr.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ivr.Server;

/// <summary>
/// Deletes call traces past <see cref="CallTraceOptions.Retention"/> (issue 15): once when the server starts, then
/// every <see cref="CallTraceOptions.CleanupInterval"/>, on the host's clock. A database that cannot be reached
/// only delays the clean-up to the next round; calls are never affected.
/// </summary>
public sealed class CallTraceCleanup(AuditLog audit, IOptions<CallTraceOptions> options, TimeProvider time, ILogger<CallTraceCleanup> logger)
    : BackgroundService
{
    private readonly CallTraceOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.CleanupInterval, time);
        do
        {
            await CleanUpAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task CleanUpAsync(CancellationToken stoppingToken)
    {
        var before = time.GetUtcNow() - _options.Retention;
        try
        {
            var deleted = await audit.DeleteTracesStartedBeforeAsync(before, stoppingToken);
            Log.TracesDeleted(logger, deleted, before);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            Log.TraceCleanupFailed(logger, e);
        }
    }
}
