namespace Ivr.CallFlow;

/// <summary>
/// What Asterisk says about a call when it hands it over: its unique id and the caller's
/// identity as the network presented it (<c>agi_uniqueid</c>, <c>agi_callerid</c>, <c>agi_callingpres</c>).
/// </summary>
/// <param name="CallId">Asterisk's <c>agi_uniqueid</c>; the audit row's key.</param>
/// <param name="CallerId">The ANI exactly as received; <c>unknown</c>, <c>anonymous</c> or empty when there is none.</param>
/// <param name="CallingPresentation">The presentation indicator; bits 0x20/0x40 mean withheld (SPEC §7).</param>
public sealed record IncomingCall(string CallId, string? CallerId, int? CallingPresentation);
