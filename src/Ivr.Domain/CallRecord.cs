namespace Ivr.Domain;

/// <summary>One call's audit row (SPEC §4). It never holds a keyed password digit.</summary>
/// <param name="CallId">Asterisk's <c>agi_uniqueid</c>.</param>
/// <param name="StartedAt">When the call reached the server.</param>
/// <param name="EndedAt">When the call ended: the row keeps this time even when it is written later.</param>
/// <param name="CallerNumber">The caller's number in national format, when it was presented.</param>
/// <param name="Unit">The unit chosen, when the caller got that far.</param>
/// <param name="TargetNumber">The number whose credential was (to be) set, when known.</param>
/// <param name="Outcome">How the call ended.</param>
/// <param name="StepReached">The last step of the flow the call was in, in the domain's words (<c>confirming-password</c>).</param>
/// <param name="Reason">
/// Why, where the outcome alone does not say: the <see cref="RefusalReason"/> of a refused commit, or the
/// <see cref="SystemErrorCause"/> of a system error, as its word; null otherwise.
/// </param>
/// <param name="Trace">What the caller heard and keyed, written beside the row (issue 15); null when none was recorded.</param>
public sealed record CallRecord(
    string CallId,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string? CallerNumber,
    SettingUnit? Unit,
    string? TargetNumber,
    CallOutcome Outcome,
    string StepReached,
    string? Reason = null,
    CallTrace? Trace = null);
