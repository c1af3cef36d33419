using Ivr.Server;

namespace Ivr.Server.Tests;

/// <summary>When the server gives a surge's memory back: only after a quiet period, and only when the heap grew.</summary>
public class MemoryReleasePolicyTests
{
    private const long MB = 1 << 20;
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    [Test]
    public void A_grown_heap_is_released_once_no_call_has_been_in_progress_for_the_quiet_period()
    {
        var policy = new MemoryReleasePolicy(Quiet, 32 * MB, committedAtStart: 100 * MB);

        Assert.That(policy.ShouldRelease(TimeSpan.FromSeconds(1), callsInProgress: 2000, 300 * MB), Is.False, "calls in progress");
        Assert.That(policy.ShouldRelease(TimeSpan.FromSeconds(2), callsInProgress: 0, 300 * MB), Is.False, "quiet just began");
        Assert.That(policy.ShouldRelease(TimeSpan.FromSeconds(3), callsInProgress: 0, 300 * MB), Is.False, "quiet for 1 s");
        Assert.That(policy.ShouldRelease(TimeSpan.FromSeconds(4), callsInProgress: 0, 300 * MB), Is.True, "quiet for 2 s");
    }

    [Test]
    public void A_call_during_the_quiet_period_starts_it_again()
    {
        var policy = new MemoryReleasePolicy(Quiet, 32 * MB, committedAtStart: 100 * MB);

        policy.ShouldRelease(TimeSpan.FromSeconds(1), 0, 300 * MB);
        Assert.That(policy.ShouldRelease(TimeSpan.FromSeconds(2), 1, 300 * MB), Is.False);
        Assert.That(policy.ShouldRelease(TimeSpan.FromSeconds(3), 0, 300 * MB), Is.False);
        Assert.That(policy.ShouldRelease(TimeSpan.FromSeconds(5), 0, 300 * MB), Is.True);
    }

    [Test]
    public void A_heap_that_has_not_grown_since_the_last_release_is_left_alone()
    {
        var policy = new MemoryReleasePolicy(Quiet, 32 * MB, committedAtStart: 100 * MB);
        Assert.That(policy.ShouldRelease(TimeSpan.Zero, 0, 110 * MB) | policy.ShouldRelease(TimeSpan.FromSeconds(9), 0, 110 * MB), Is.False, "a few calls' worth");

        Assert.That(policy.ShouldRelease(TimeSpan.FromSeconds(10), 0, 200 * MB), Is.True);
        policy.Released(120 * MB);
        Assert.That(policy.ShouldRelease(TimeSpan.FromSeconds(20), 0, 130 * MB), Is.False, "released already");
        Assert.That(policy.ShouldRelease(TimeSpan.FromSeconds(21), 0, 160 * MB), Is.True, "grown again");
    }
}
