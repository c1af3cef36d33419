using Ivr.Domain;

namespace Ivr.Sip.Tests.Support;

/// <summary>
/// What the caller does once a prompt has started playing: keys (digits, <c>*</c>, <c>#</c>), or <c>timeout</c>
/// (keys nothing), or <c>hangup</c>. Keys sent during a STREAM FILE are lost, so each press waits for the prompt
/// of the GET DATA it answers.
/// </summary>
internal sealed record Press(PromptId Prompt, string Keys)
{
    public const string Timeout = "timeout";
    public const string HangUp = "hangup";
}
