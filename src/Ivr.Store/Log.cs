using Ivr.Domain;
using Microsoft.Extensions.Logging;

namespace Ivr.Store;

/// <summary>
/// Everything the store logs. The parameter lists are where a reviewer checks that no password, hash or
/// pepper is ever logged: numbers, units, call ids and reasons only.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied migration {Migration}")]
    public static partial void MigrationApplied(ILogger logger, string migration);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Call {CallId}: temporary password set for {TargetNumber} ({Unit}) by {CallerNumber}")]
    public static partial void TemporaryPasswordSet(ILogger logger, string callId, string targetNumber, string unit, string callerNumber);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Call {CallId}: commit refused for {TargetNumber} ({Unit}) by {CallerNumber}: {Reason}")]
    public static partial void CommitRefused(ILogger logger, string callId, string targetNumber, string unit, string callerNumber, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "No hashing slot came free within {Wait}: {Waiting} hashes were waiting")]
    public static partial void HashingBusy(ILogger logger, TimeSpan wait, long waiting);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Website login {Login} from {ClientAddress}: {Result}")]
    public static partial void LoginAttempted(ILogger logger, string login, string result, string? clientAddress);

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "Login {Login}: the credential changed while an attempt was checked; checking again")]
    public static partial void CredentialChangedDuringAttempt(ILogger logger, string login);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Database step {Step}: the pooled connection was dead ({Error}); running the step once more on a new one")]
    public static partial void DeadConnectionRetried(ILogger logger, string step, string error);

    [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "Database step {Step} failed ({Error})")]
    public static partial void DatabaseStepFailed(ILogger logger, string step, string error, Exception exception);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Call {CallId}: an audit row already exists; this one ({Outcome}) was not written")]
    public static partial void DuplicateAuditRow(ILogger logger, string callId, CallOutcome outcome);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "The traces of {Count} calls were not written ({Cause}); their audit rows stand")]
    public static partial void TracesNotWritten(ILogger logger, int count, string cause, Exception exception);
}
