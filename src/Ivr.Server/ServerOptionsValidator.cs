using Ivr.FastAgi;
using Ivr.Hosting;
using Microsoft.Extensions.Options;

namespace Ivr.Server;

/// <summary>Checks <see cref="ServerOptions"/>; each problem is one line naming the environment variable to fix.</summary>
public sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    /// <summary>Below this a key is guessable by whoever can reach the port.</summary>
    public const int MinimumAgiKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, ServerOptions options) =>
        FindProblem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    public static string? FindProblem(ServerOptions options)
    {
        if (EndPoints.TryParse(options.Listen, "IVR_LISTEN", out var problem) is null)
        {
            return problem;
        }
        try
        {
            _ = NetworkList.Parse(options.AgiAllow);
        }
        catch (FormatException)
        {
            return $"IVR_AGI_ALLOW '{options.AgiAllow}' must be comma-separated addresses or CIDR networks";
        }
        if (options.AgiKey is { Length: > 0 and < MinimumAgiKeyLength })
        {
            return $"IVR_AGI_KEY must be at least {MinimumAgiKeyLength} characters";
        }
        if (options.MaxCalls is < 1 or > 1_000_000)
        {
            return $"IVR_MAX_CALLS '{options.MaxCalls}' must be between 1 and 1000000";
        }
        if (options.ShutdownGracePeriod is not ({ TotalSeconds: >= 0 } and { TotalMinutes: <= 10 }))
        {
            return $"IVR_SHUTDOWN_GRACE_PERIOD '{options.ShutdownGracePeriod}' must be between 00:00:00 and 00:10:00";
        }
        if (string.IsNullOrWhiteSpace(options.AuditSpool))
        {
            return "IVR_AUDIT_SPOOL must name a folder";
        }
        if (options.AuditSpoolLimit is < 1 or > 10_000_000)
        {
            return $"IVR_AUDIT_SPOOL_LIMIT '{options.AuditSpoolLimit}' must be between 1 and 10000000";
        }
        try
        {
            _ = EndPoints.ParseOptional(options.OperationsListen, "IVR_OPERATIONS_LISTEN");
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }
}
