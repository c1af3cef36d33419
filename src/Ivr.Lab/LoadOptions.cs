namespace Ivr.Lab;

/// <summary>What the load benchmark runs.</summary>
/// <param name="Calls">How many calls in all.</param>
/// <param name="Concurrency">The most calls open at once; arrivals beyond it wait for a free slot.</param>
/// <param name="Flow">Which call.</param>
/// <param name="Caller">The caller id; null for the flow's own.</param>
/// <param name="TimeLimit">When the benchmark stops, finished or not.</param>
/// <param name="PlaybackTime">How long each prompt and input lasts on the simulated line before its reply.</param>
/// <param name="ServerProcessId">The server's process, to sample its CPU, memory and threads from /proc; null when unknown.</param>
/// <param name="Key">The dialplan's AGI key, sent as Asterisk would; null for none.</param>
/// <param name="Rate">New calls per second, as Poisson arrivals; zero starts calls as fast as the concurrency allows.</param>
/// <param name="ThinkTime">The caller's mean keying time before each <c>GET DATA</c> reply (never inside a turnaround).</param>
/// <param name="ThinkJitter">Keying time is uniform in <paramref name="ThinkTime"/>·(1 ± this).</param>
public sealed record LoadOptions(
    int Calls,
    int Concurrency,
    LoadFlow Flow,
    string? Caller,
    TimeSpan TimeLimit,
    TimeSpan PlaybackTime,
    int? ServerProcessId,
    string? Key = null,
    double Rate = 0,
    TimeSpan ThinkTime = default,
    double ThinkJitter = 0.5);
