using System.Globalization;

namespace Ivr.Lab;

/// <summary>What a load run measured.</summary>
/// <param name="FirstCommand">From the environment written to the first command: accept, parse, caller lookup.</param>
/// <param name="Turnaround">From each reply to the next command, but the commit's.</param>
/// <param name="CommitTurnaround">From the confirmation's reply to the next command: the hash and the commit.</param>
/// <param name="HangUpClose">From the reply to the server's <c>HANGUP</c> to its close of the connection.</param>
/// <param name="ThinkLag">How late this client's keying timers fired: when it grows, the machine, not the server, is late.</param>
/// <param name="ArrivalLag">From each scheduled arrival to its call starting (large when the concurrency holds arrivals back).</param>
public sealed record LoadReport(
    LoadOptions Options,
    int CallsCompleted,
    TimeSpan Elapsed,
    Percentiles FirstCommand,
    Percentiles Turnaround,
    Percentiles CommitTurnaround,
    Percentiles HangUpClose,
    Percentiles ThinkLag,
    Percentiles ArrivalLag,
    int PeakOpenCalls,
    IReadOnlyDictionary<string, int> Errors,
    bool TimeLimitReached,
    ServerUse? Server)
{
    public double CallsPerSecond => CallsCompleted / Elapsed.TotalSeconds;

    public void Write(TextWriter output)
    {
        var o = Options;
        output.WriteLine(Invariant($"load: {CallsCompleted} of {o.Calls} calls, concurrency {o.Concurrency}, flow {o.Flow.Name}, caller {o.Caller ?? o.Flow.Caller}, rate {(o.Rate > 0 ? $"{o.Rate}/s" : "unpaced")}, think {o.ThinkTime.TotalMilliseconds} ms ±{o.ThinkJitter * 100} %, playback {o.PlaybackTime.TotalMilliseconds} ms per prompt"));
        output.WriteLine(Invariant($"  throughput: {CallsPerSecond:F1} calls/s over {Elapsed.TotalSeconds:F2} s, peak open calls {PeakOpenCalls}"));
        output.WriteLine($"  first command: {FirstCommand}");
        output.WriteLine($"  turnaround (server's share per command): {Turnaround}");
        if (CommitTurnaround.Count > 0)
        {
            output.WriteLine($"  commit turnaround (hash + transaction): {CommitTurnaround}");
        }
        output.WriteLine($"  close after HANGUP: {HangUpClose}");
        if (ThinkLag.Count > 0)
        {
            output.WriteLine($"  think timer lag (this client's own lateness): {ThinkLag}");
        }
        if (ArrivalLag.Count > 0)
        {
            output.WriteLine($"  arrival lag: {ArrivalLag}");
        }
        output.WriteLine(Errors.Count == 0 ? "  errors: none" : "  errors: " + string.Join(", ", Errors.OrderBy(e => e.Key).Select(e => $"{e.Key} {e.Value}")));
        if (Server is { } server)
        {
            output.WriteLine(Invariant($"  server CPU (pid {o.ServerProcessId}): {server.Cpu.TotalSeconds:F2} s, {(CallsCompleted > 0 ? server.Cpu.TotalMilliseconds / CallsCompleted : 0):F3} ms per call"));
            output.WriteLine(Invariant($"  server memory: RSS idle {server.Idle.RssKb / 1024.0:F1} MiB, peak {server.PeakRssKb / 1024.0:F1} MiB, after {server.After.RssKb / 1024.0:F1} MiB, {(PeakOpenCalls > 0 ? (server.PeakRssKb - server.Idle.RssKb) / (double)PeakOpenCalls : 0):F1} KB per open call"));
            output.WriteLine(Invariant($"  server threads: idle {server.Idle.Threads}, peak {server.PeakThreads}"));
        }
        if (TimeLimitReached)
        {
            output.WriteLine($"  stopped at the time limit of {o.TimeLimit}");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The server process over a run: before, after, and its peaks in between.</summary>
public sealed record ServerUse(ServerSample Idle, ServerSample After, long PeakRssKb, int PeakThreads)
{
    public TimeSpan Cpu => After.Cpu - Idle.Cpu;
}
