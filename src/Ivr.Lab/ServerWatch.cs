using System.Globalization;

namespace Ivr.Lab;

/// <summary>
/// The server's CPU time, resident memory and threads, read from Linux's /proc as agiload reads them: once before
/// the run (idle), every 100 ms during it (peaks), once after.
/// </summary>
public sealed class ServerWatch : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly int _processId;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private ServerWatch(int processId, ServerSample idle)
    {
        _processId = processId;
        Idle = idle;
        PeakRssKb = idle.RssKb;
        PeakThreads = idle.Threads;
        _sampling = SampleAsync();
    }

    /// <summary>Starts watching; null when the process is not there to read.</summary>
    public static ServerWatch? Start(int processId) => Read(processId) is { } idle ? new ServerWatch(processId, idle) : null;

    public ServerSample Idle { get; }

    public long PeakRssKb { get; private set; }

    public int PeakThreads { get; private set; }

    /// <summary>Stops sampling and reads the process once more.</summary>
    public async Task<ServerSample?> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        var after = Read(_processId);
        if (after is not null)
        {
            Take(after);
        }
        return after;
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (Read(_processId) is { } sample)
                {
                    Take(sample);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Take(ServerSample sample)
    {
        PeakRssKb = Math.Max(PeakRssKb, sample.RssKb);
        PeakThreads = Math.Max(PeakThreads, sample.Threads);
    }

    // utime + stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (USER_HZ, 100 a second on Linux);
    // VmRSS (kB) and Threads come from /proc/<pid>/status.
    private static ServerSample? Read(int processId)
    {
        try
        {
            var folder = $"/proc/{processId.ToString(CultureInfo.InvariantCulture)}";
            var fields = File.ReadAllText($"{folder}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            long rss = 0;
            var threads = 0;
            foreach (var line in File.ReadLines($"{folder}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    threads = int.Parse(line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }
            return new ServerSample(TimeSpan.FromMilliseconds(ticks * 10), rss, threads);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // not Linux, or the process is gone
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }
        _stop.Dispose();
    }
}

/// <summary>One reading of the server process.</summary>
public sealed record ServerSample(TimeSpan Cpu, long RssKb, int Threads);
