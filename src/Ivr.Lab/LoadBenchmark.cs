using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Ivr.Lab;

/// <summary>
/// Drives many simulated calls over FastAGI from one process, a fixed number at a time (async: no thread per
/// call), and measures the server's share of every wait. Bounded by a call count and a time limit.
/// </summary>
public static class LoadBenchmark
{
    /// <summary>The confirmation's reply is followed by the hash and the commit: measured apart from the protocol path.</summary>
    public const string CommitStep = "GET DATA temp-password/confirm-password";

    public static async Task<LoadReport> RunAsync(IPEndPoint server, LoadOptions options, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.TimeLimit);
        var presses = options.Flow == LoadFlow.NoWrite ? new[] { "9", "9", "9" } : ["1", "13572468", "13572468"];
        var expectedEnd = LabCallEnd.SystemHangup;
        var cpuBefore = options.ServerProcessId is { } watched ? CpuTime(watched) : null;
        var started = Stopwatch.GetTimestamp();
        var next = -1;
        var results = new LabCallRecord?[options.Calls];
        var errors = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();

        async Task WorkerAsync()
        {
            // Held calls arrive spread over one call's length, as real callers do, not in lockstep.
            if (options.PlaybackTime > TimeSpan.Zero)
            {
                await Task.Delay(options.PlaybackTime * presses.Length * 2 * Random.Shared.NextDouble(), limit.Token);
            }
            int index;
            while ((index = Interlocked.Increment(ref next)) < options.Calls && !limit.IsCancellationRequested)
            {
                try
                {
                    var call = await SimulatedAsterisk.CallAsync(server, new LabCallSetup(LabCallSetup.NewCallId(), options.Caller, Key: options.Key, PlaybackTime: options.PlaybackTime), presses, limit.Token);
                    results[index] = call;
                    if (call.End != expectedEnd || call.Problems.Count > 0)
                    {
                        errors.AddOrUpdate(call.End == expectedEnd ? "protocol problem" : call.End.ToString(), 1, (_, n) => n + 1);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !limit.IsCancellationRequested)
                {
                    errors.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                }
            }
        }

        try
        {
            await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(WorkerAsync, CancellationToken.None)));
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        var completed = results.Where(r => r is not null).Select(r => r!).ToList();
        var turnarounds = completed.SelectMany(r => r.Turnarounds).ToList();
        return new LoadReport(
            options,
            completed.Count,
            elapsed,
            Percentiles.Of(turnarounds.Where(t => t.After != CommitStep).Select(t => t.Elapsed)),
            Percentiles.Of(turnarounds.Where(t => t.After == CommitStep).Select(t => t.Elapsed)),
            errors.ToDictionary(),
            limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested,
            options.ServerProcessId is { } pid ? PeakMemory(pid) : null,
            options.ServerProcessId is { } measured && CpuTime(measured) is { } after && cpuBefore is { } before ? after - before : null);
    }

    // utime + stime of /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux).
    private static TimeSpan? CpuTime(int processId)
    {
        var stat = $"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat";
        if (!File.Exists(stat))
        {
            return null;
        }
        var fields = File.ReadAllText(stat).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    // VmHWM: the resident set's high-water mark since the process started (Linux /proc).
    private static long? PeakMemory(int processId)
    {
        var status = $"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status";
        if (!File.Exists(status))
        {
            return null;
        }
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
