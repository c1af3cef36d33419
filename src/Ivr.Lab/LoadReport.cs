using System.Globalization;

namespace Ivr.Lab;

/// <summary>What a load run measured.</summary>
public sealed record LoadReport(
    LoadOptions Options,
    int CallsCompleted,
    TimeSpan Elapsed,
    Percentiles Turnaround,
    Percentiles CommitTurnaround,
    IReadOnlyDictionary<string, int> Errors,
    bool TimeLimitReached,
    long? ServerPeakMemoryBytes,
    TimeSpan? ServerCpuTime)
{
    public double CallsPerSecond => CallsCompleted / Elapsed.TotalSeconds;

    public void Write(TextWriter output)
    {
        var flow = Options.Flow == LoadFlow.NoWrite ? "no-write" : "setup";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load: {CallsCompleted} of {Options.Calls} calls, concurrency {Options.Concurrency}, flow {flow}, caller {Options.Caller}, playback {Options.PlaybackTime.TotalMilliseconds} ms per prompt"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  throughput: {CallsPerSecond:F1} calls/s over {Elapsed.TotalSeconds:F2} s"));
        output.WriteLine($"  turnaround (server's share per command): {Turnaround}");
        if (CommitTurnaround.Count > 0)
        {
            output.WriteLine($"  commit turnaround (hash + transaction): {CommitTurnaround}");
        }
        output.WriteLine(Errors.Count == 0 ? "  errors: none" : "  errors: " + string.Join(", ", Errors.OrderBy(e => e.Key).Select(e => $"{e.Key} {e.Value}")));
        if (ServerPeakMemoryBytes is { } peak)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  server peak memory: {peak / 1048576.0:F1} MiB (VmHWM of pid {Options.ServerProcessId})"));
        }
        if (ServerCpuTime is { } cpu && CallsCompleted > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  server CPU: {cpu.TotalSeconds:F2} s, {cpu.TotalMilliseconds / CallsCompleted:F3} ms per call"));
        }
        if (TimeLimitReached)
        {
            output.WriteLine($"  stopped at the time limit of {Options.TimeLimit}");
        }
    }
}
