namespace Ivr.Domain;

/// <summary>
/// Everything a caller heard and keyed on one call, in order, with timings (issue 15), written with the call's
/// audit row and kept for a limited time. It holds no secret: a password entry is only its shape.
/// </summary>
/// <param name="Events">The call's events, oldest first.</param>
public sealed record CallTrace(IReadOnlyList<CallTraceEvent> Events);
