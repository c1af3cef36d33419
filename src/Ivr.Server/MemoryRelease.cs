using System.Runtime;
using Ivr.FastAgi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ivr.Server;

/// <summary>
/// Gives the memory of a surge back to the operating system once it is over. The garbage collector keeps the heap it
/// grew for thousands of open calls until it next collects, and an idle server allocates nothing that would make it
/// collect: so when no call has been in progress for <see cref="QuietPeriod"/>, and the heap has grown by
/// <see cref="Growth"/> since the last release, one compacting collection returns the free space. No caller waits on
/// it: none is on the line.
/// </summary>
public sealed class MemoryRelease(FastAgiConnectionHandler calls, TimeProvider time, ILogger<MemoryRelease> logger) : BackgroundService
{
    /// <summary>How long the server must have had no call before it collects.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Growth of the committed heap that is worth a collection: a few calls' worth is not.</summary>
    public const long Growth = 32 << 20;

    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly MemoryReleasePolicy _policy = new(QuietPeriod, Growth, CommittedBytes());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The collector shapes every call's latency, and DOTNET_ variables can change it from outside: say which runs.
        var collector = GC.GetConfigurationVariables();
        Log.Collector(
            logger,
            GCSettings.IsServerGC ? "server" : "workstation",
            GCSettings.IsServerGC && collector.TryGetValue("HeapCount", out var heaps) ? Convert.ToInt64(heaps) : 1,
            collector.TryGetValue("GCGen0MaxBudget", out var budget) && Convert.ToInt64(budget) is > 0 and var bytes ? $"{bytes >> 20} MB" : "the runtime's default");
        using var timer = new PeriodicTimer(Period, time);
        var started = time.GetTimestamp();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var committed = CommittedBytes();
            if (_policy.ShouldRelease(time.GetElapsedTime(started), calls.CallsInProgress, committed))
            {
                // Measured after a surge of 10,800 calls: with the 256 kept sessions, 26 MB of heap stayed committed
                // after this collection instead of 15 (docs/benchmarks.md).
                calls.ReleaseIdleSessions();
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                var after = CommittedBytes();
                _policy.Released(after);
                Log.MemoryReleased(logger, (committed - after) >> 20, after >> 20);
            }
        }
    }

    private static long CommittedBytes() => GC.GetGCMemoryInfo().TotalCommittedBytes;
}
