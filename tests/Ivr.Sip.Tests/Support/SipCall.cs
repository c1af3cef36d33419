namespace Ivr.Sip.Tests.Support;

/// <summary>One call as Asterisk ran it: its channel, the unique id the server audits it under, what the caller heard, its log lines.</summary>
internal sealed record SipCall(string Channel, string UniqueId, IReadOnlyList<string> Heard, IReadOnlyList<string> Log);
