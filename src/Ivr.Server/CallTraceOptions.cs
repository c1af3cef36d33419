using Microsoft.Extensions.Configuration;

namespace Ivr.Server;

/// <summary>How long call traces are kept and how often the server deletes older ones, bound from the configuration's root keys.</summary>
public sealed class CallTraceOptions
{
    /// <summary>
    /// How long a call's trace is kept after the call started (<c>IVR_TRACE_RETENTION</c>). Defaults to 30 days:
    /// time enough for a complaint to reach the operators; the audit row itself is kept apart from this.
    /// </summary>
    [ConfigurationKeyName("TraceRetention")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the server deletes traces past their retention (<c>IVR_TRACE_CLEANUP_INTERVAL</c>). Defaults to 1 hour.</summary>
    [ConfigurationKeyName("TraceCleanupInterval")]
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}
