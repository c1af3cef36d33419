using Microsoft.Extensions.Options;

namespace Ivr.Server;

/// <summary>Checks <see cref="CallTraceOptions"/>; each problem is one line naming the environment variable to fix.</summary>
public sealed class CallTraceOptionsValidator : IValidateOptions<CallTraceOptions>
{
    public ValidateOptionsResult Validate(string? name, CallTraceOptions options) =>
        FindProblem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    public static string? FindProblem(CallTraceOptions options) =>
        options.Retention is not ({ TotalHours: >= 1 } and { TotalDays: <= 3650 })
            ? $"IVR_TRACE_RETENTION '{options.Retention}' must be between 01:00:00 and 3650.00:00:00"
        : options.CleanupInterval is not ({ TotalMinutes: >= 1 } and { TotalDays: <= 1 })
            ? $"IVR_TRACE_CLEANUP_INTERVAL '{options.CleanupInterval}' must be between 00:01:00 and 1.00:00:00"
        : null;
}
