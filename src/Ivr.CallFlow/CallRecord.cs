namespace Ivr.CallFlow;

/// <summary>One call's audit row (SPEC §4). It never holds a keyed password digit.</summary>
/// <param name="CallId">Asterisk's <c>agi_uniqueid</c>.</param>
/// <param name="StartedAt">When the call reached the server.</param>
/// <param name="CallerNumber">The caller's number in national format, when it was presented.</param>
/// <param name="Unit">The unit chosen, when the caller got that far.</param>
/// <param name="TargetNumber">The number whose credential was (to be) set, when known.</param>
/// <param name="Outcome">How the call ended.</param>
/// <param name="StepReached">The last step of the flow the call was in, in the graph's words (for example <c>ConfirmingPassword</c>).</param>
public sealed record CallRecord(
    string CallId,
    DateTimeOffset StartedAt,
    string? CallerNumber,
    SettingUnit? Unit,
    string? TargetNumber,
    CallOutcome Outcome,
    string StepReached);
