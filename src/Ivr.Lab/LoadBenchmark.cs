using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Ivr.Lab;

/// <summary>
/// Drives many simulated calls over FastAGI from one process (async: no thread per call) the way callers arrive:
/// Poisson arrivals at a rate, keying time with jitter, at most a number open at once; measures the server's share
/// of every wait, its close after <c>HANGUP</c>, and, given its process, its CPU per call and memory per open call.
/// Bounded by a call count and a time limit.
/// </summary>
public static class LoadBenchmark
{
    /// <summary>The confirmation's reply is followed by the hash and the commit: measured apart from the protocol path.</summary>
    public const string CommitStep = "GET DATA temp-password/confirm-password";

    public static async Task<LoadReport> RunAsync(IPEndPoint server, LoadOptions options, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.TimeLimit);
        var results = new LabCallRecord?[options.Calls];
        var errors = new ConcurrentDictionary<string, int>();
        var arrivalLag = new ConcurrentBag<TimeSpan>();
        using var slots = new SemaphoreSlim(options.Concurrency);
        var open = 0;
        var peakOpen = 0;
        await using var watch = options.ServerProcessId is { } pid ? ServerWatch.Start(pid) : null;
        var started = Stopwatch.GetTimestamp();

        async Task CallAsync(int index)
        {
            var now = Interlocked.Increment(ref open);
            InterlockedMax(ref peakOpen, now);
            try
            {
                var setup = new LabCallSetup(LabCallSetup.NewCallId(), options.Caller ?? options.Flow.Caller, Key: options.Key,
                    PlaybackTime: options.PlaybackTime, ThinkTime: options.ThinkTime, ThinkJitter: options.ThinkJitter);
                var call = await SimulatedAsterisk.CallAsync(server, setup, options.Flow.Presses, limit.Token);
                results[index] = call;
                if (call.End != LabCallEnd.SystemHangup || call.Problems.Count > 0)
                {
                    errors.AddOrUpdate(call.End == LabCallEnd.SystemHangup ? "protocol problem" : call.End.ToString(), 1, (_, n) => n + 1);
                }
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                // Cut by the time limit (or the user): not completed, which the report says.
            }
            catch (Exception e)
            {
                errors.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
            }
            finally
            {
                Interlocked.Decrement(ref open);
                slots.Release();
            }
        }

        var calls = new List<Task>(options.Calls);
        try
        {
            var due = TimeSpan.Zero;
            for (var index = 0; index < options.Calls; index++)
            {
                if (options.Rate > 0)
                {
                    // Exponential gaps between arrivals: a Poisson process, as independent callers make.
                    due += TimeSpan.FromSeconds(-Math.Log(1 - Random.Shared.NextDouble()) / options.Rate);
                    var wait = due - Stopwatch.GetElapsedTime(started);
                    if (wait > TimeSpan.FromMilliseconds(1))
                    {
                        await Task.Delay(wait, limit.Token);
                    }
                }
                await slots.WaitAsync(limit.Token);
                if (options.Rate > 0)
                {
                    arrivalLag.Add(Stopwatch.GetElapsedTime(started) - due);
                }
                calls.Add(CallAsync(index));
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(calls);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var after = watch is null ? null : await watch.StopAsync();
        var completed = results.Where(r => r is not null).Select(r => r!).ToList();
        var turnarounds = completed.SelectMany(r => r.Turnarounds).ToList();
        return new LoadReport(
            options,
            completed.Count,
            elapsed,
            Percentiles.Of(completed.Where(r => r.FirstCommand is not null).Select(r => r.FirstCommand!.Value)),
            Percentiles.Of(turnarounds.Where(t => t.After != CommitStep).Select(t => t.Elapsed)),
            Percentiles.Of(turnarounds.Where(t => t.After == CommitStep).Select(t => t.Elapsed)),
            Percentiles.Of(completed.Where(r => r.HangUpClose is not null).Select(r => r.HangUpClose!.Value)),
            Percentiles.Of(completed.SelectMany(r => r.ThinkLag ?? [])),
            Percentiles.Of(arrivalLag),
            peakOpen,
            errors.ToDictionary(),
            limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested,
            watch is null || after is null ? null : new ServerUse(watch.Idle, after, watch.PeakRssKb, watch.PeakThreads));
    }

    private static void InterlockedMax(ref int location, int value)
    {
        var seen = Volatile.Read(ref location);
        while (value > seen && Interlocked.CompareExchange(ref location, value, seen) is var actual && actual != seen)
        {
            seen = actual;
        }
    }
}
