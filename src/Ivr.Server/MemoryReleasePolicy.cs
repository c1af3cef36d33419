namespace Ivr.Server;

/// <summary>
/// When <see cref="MemoryRelease"/> collects: the server has been without a call for the quiet period, and the
/// committed heap has grown by the given amount since the last release (or since the start).
/// </summary>
public sealed class MemoryReleasePolicy(TimeSpan quietPeriod, long growth, long committedAtStart)
{
    private long _committedAfterRelease = committedAtStart;
    private TimeSpan? _quietSince;

    /// <summary>Whether to collect now, <paramref name="now"/> on any monotonic clock.</summary>
    public bool ShouldRelease(TimeSpan now, int callsInProgress, long committedBytes)
    {
        if (callsInProgress > 0)
        {
            _quietSince = null;
            return false;
        }
        _quietSince ??= now;
        return now - _quietSince >= quietPeriod && committedBytes - _committedAfterRelease >= growth;
    }

    /// <summary>A collection has run; the heap is now <paramref name="committedBytes"/>.</summary>
    public void Released(long committedBytes) => _committedAfterRelease = committedBytes;
}
