using Ivr.Domain;
using Microsoft.Extensions.Logging;

namespace Ivr.CallFlow;

// The call flow's log lines. Their parameters are where a reviewer checks that no keyed password digit is logged:
// none of them takes caller input.
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Debug, "Call {CallId} started")]
    public static partial void CallStarted(ILogger logger, string callId);

    [LoggerMessage(101, LogLevel.Information, "Call {CallId} bad input {BadInputCount} at {Step}")]
    public static partial void BadInput(ILogger logger, string callId, string step, int badInputCount);

    [LoggerMessage(103, LogLevel.Error, "Call {CallId} failed at {Step} ({Cause}); the caller hears system-error")]
    public static partial void SystemFailure(ILogger logger, string callId, string step, string cause, Exception exception);

    // A fault of a known cause (the database, the hashing slots, a stop): its port logged the detail; no stack here.
    [LoggerMessage(107, LogLevel.Warning, "Call {CallId} failed at {Step} ({Cause}: {Detail}); the caller hears system-error")]
    public static partial void KnownFailure(ILogger logger, string callId, string step, string cause, string detail);

    [LoggerMessage(104, LogLevel.Debug, "Call {CallId} ending at {Step} was cut short ({Reason})")]
    public static partial void EndingCutShort(ILogger logger, string callId, string step, string reason);

    // The one line per call an operator reads first (docs/operations.md).
    [LoggerMessage(105, LogLevel.Information, "Call {CallId} ended: {Outcome} at {StepReached}, unit {Unit}, reason {Reason}")]
    public static partial void CallEnded(ILogger logger, string callId, string outcome, string stepReached, string? unit, string? reason);

    [LoggerMessage(106, LogLevel.Error, "Call {CallId}: the audit row could not be written")]
    public static partial void AuditFailed(ILogger logger, string callId, Exception exception);
}
