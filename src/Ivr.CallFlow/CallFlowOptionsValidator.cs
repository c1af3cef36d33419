using Microsoft.Extensions.Options;

namespace Ivr.CallFlow;

/// <summary>Checks <see cref="CallFlowOptions"/>; each problem is one line naming the environment variable to fix.</summary>
public sealed class CallFlowOptionsValidator : IValidateOptions<CallFlowOptions>
{
    public ValidateOptionsResult Validate(string? name, CallFlowOptions options) =>
        FindProblem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    public static string? FindProblem(CallFlowOptions options) =>
        options.InputTimeout is not ({ TotalSeconds: >= 1 } and { TotalMinutes: <= 1 })
            ? $"IVR_INPUT_TIMEOUT '{options.InputTimeout}' must be between 00:00:01 and 00:01:00"
        : options.AuditTimeout is not ({ TotalSeconds: >= 1 } and { TotalMinutes: <= 1 })
            ? $"IVR_AUDIT_TIMEOUT '{options.AuditTimeout}' must be between 00:00:01 and 00:01:00"
        : null;
}
