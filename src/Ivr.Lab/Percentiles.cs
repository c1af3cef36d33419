using System.Globalization;

namespace Ivr.Lab;

/// <summary>A distribution of durations, summarised.</summary>
public readonly record struct Percentiles(int Count, TimeSpan P50, TimeSpan P90, TimeSpan P99, TimeSpan P999, TimeSpan Max)
{
    public static Percentiles Of(IEnumerable<TimeSpan> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length == 0 ? default
            : new Percentiles(sorted.Length, At(sorted, 0.50), At(sorted, 0.90), At(sorted, 0.99), At(sorted, 0.999), sorted[^1]);
    }

    // agiload's rank, xs[min(n - 1, floor(p * n))], so that both clients' figures compare sample for sample.
    private static TimeSpan At(TimeSpan[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {Ms(P50)} ms, p90 {Ms(P90)} ms, p99 {Ms(P99)} ms, p999 {Ms(P999)} ms, max {Ms(Max)} ms (n={Count})");

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString("F2", CultureInfo.InvariantCulture);
}
