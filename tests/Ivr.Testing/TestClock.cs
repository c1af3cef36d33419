using Microsoft.Extensions.Time.Testing;

namespace Ivr.Testing;

/// <summary>A <see cref="FakeTimeProvider"/> at a fixed, readable instant: rules of hours and days are tested by <c>Advance</c>, never by sleeping.</summary>
public static class TestClock
{
    public static readonly DateTimeOffset Start = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Create(DateTimeOffset? start = null) => new(start ?? Start);
}
