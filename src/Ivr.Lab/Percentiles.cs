using System.Globalization;

namespace Ivr.Lab;

/// <summary>A distribution of durations, summarised.</summary>
public readonly record struct Percentiles(int Count, TimeSpan P50, TimeSpan P99, TimeSpan Max)
{
    public static Percentiles Of(IEnumerable<TimeSpan> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length == 0 ? default
            : new Percentiles(sorted.Length, At(sorted, 0.50), At(sorted, 0.99), sorted[^1]);
    }

    // Nearest rank: the smallest sample with at least p of the samples at or below it.
    private static TimeSpan At(TimeSpan[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {P50.TotalMilliseconds:F2} ms, p99 {P99.TotalMilliseconds:F2} ms, max {Max.TotalMilliseconds:F2} ms (n={Count})");
}
