namespace Ivr.Lab;

/// <summary>What the load benchmark runs.</summary>
/// <param name="Calls">How many calls in all.</param>
/// <param name="Concurrency">How many at once.</param>
/// <param name="Flow">Which call.</param>
/// <param name="Caller">The caller id: a subscribed number of the server's directory.</param>
/// <param name="TimeLimit">When the benchmark stops, finished or not.</param>
/// <param name="PlaybackTime">How long each prompt and input lasts on the simulated line (zero: a saturation test).</param>
/// <param name="ServerProcessId">The server's process, to read its peak memory; null when unknown.</param>
public sealed record LoadOptions(int Calls, int Concurrency, LoadFlow Flow, string Caller, TimeSpan TimeLimit, TimeSpan PlaybackTime, int? ServerProcessId, string? Key = null);
