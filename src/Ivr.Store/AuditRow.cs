namespace Ivr.Store;

/// <summary>One call's audit row as <c>ivr audit</c> prints it.</summary>
public sealed record AuditRow(
    string CallId,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string? CallerNumber,
    string? Unit,
    string? TargetNumber,
    string Outcome,
    string StepReached);
