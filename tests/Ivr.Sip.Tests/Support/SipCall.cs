namespace Ivr.Sip.Tests.Support;

/// <summary>One call as Asterisk ran it.</summary>
/// <param name="Channel">Its channel, <c>PJSIP/lab-main-00000003</c>.</param>
/// <param name="UniqueId">Asterisk's unique id, which the server audits it under.</param>
/// <param name="Heard">What the caller heard (<see cref="Support.Heard"/>).</param>
/// <param name="Log">The call's own log lines: those Asterisk tagged with its call id (<c>[C-00000003]</c>).</param>
/// <param name="LogWhileRunning">Every line Asterisk logged while it ran, other calls' included.</param>
internal sealed record SipCall(string Channel, string UniqueId, IReadOnlyList<string> Heard, IReadOnlyList<string> Log, IReadOnlyList<string> LogWhileRunning);
