using System.Text.Json.Serialization;
using Ivr.Domain;

namespace Ivr.Store;

/// <summary>One call's audit row as <c>ivr audit show|tail</c> prints it (SPEC §4); never a keyed password digit.</summary>
/// <param name="CallId">Asterisk's <c>agi_uniqueid</c>.</param>
/// <param name="StartedAt">When the call reached the server.</param>
/// <param name="EndedAt">When the call ended.</param>
/// <param name="CallerNumber">The caller's number in national format, when presented.</param>
/// <param name="Unit">The unit chosen (<c>line</c>, <c>number</c>, <c>admin-user</c>), when the caller got that far.</param>
/// <param name="TargetNumber">The number whose credential was (to be) set, when known.</param>
/// <param name="Outcome">How the call ended (<c>completed</c>, <c>too-many-errors</c>, …).</param>
/// <param name="StepReached">The last step of the flow the call was in.</param>
/// <param name="Reason">Why, where the outcome alone does not say: a refusal reason or a system error's cause.</param>
/// <param name="HasTrace">Whether the call's trace is still kept (<c>ivr lab trace CALL-ID</c>).</param>
public sealed record AuditRow(
    string CallId,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string? CallerNumber,
    [property: JsonConverter(typeof(DomainWordConverter<SettingUnit>))] SettingUnit? Unit,
    string? TargetNumber,
    [property: JsonConverter(typeof(DomainWordConverter<CallOutcome>))] CallOutcome Outcome,
    string StepReached,
    string? Reason,
    bool HasTrace = false);
