using System.Text.Json.Serialization;

namespace Ivr.Domain;

/// <summary>
/// One thing that happened on a call, in order (issue 15): a prompt, a readback, an input, the hang-up. Small and
/// flat, so a call's trace is one short list. A password entry keeps only its shape: never a keyed digit.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="At">When it began, since the call reached the server.</param>
/// <param name="Duration">How long it took: a prompt's playback, or an input's prompt and keying.</param>
/// <param name="Prompt">The prompt played or asked, when there was one.</param>
/// <param name="Keys">The number read back, or the keys of a menu digit or a number; null for a password and a confirmation.</param>
/// <param name="Length">How many keys the caller pressed at an input (<c>#</c> not counted).</param>
/// <param name="TimedOut">An input ended because the caller stopped keying, not by <c>#</c> or the digit limit.</param>
/// <param name="Matched">For a confirmation, whether it matched the first entry; null otherwise.</param>
/// <param name="BadInput">The flow counted this input as a bad input.</param>
/// <param name="Interrupted">
/// The command never finished: the caller hung up, the server stopped, or Asterisk failed it (the audit outcome
/// and reason say which). An interrupted input has no keys and no length.
/// </param>
public readonly record struct CallTraceEvent(
    // Always written, even where defaults are left out: `played` is the enum's default.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] CallTraceEventKind Kind,
    TimeSpan At,
    TimeSpan Duration,
    string? Prompt = null,
    string? Keys = null,
    int Length = 0,
    bool TimedOut = false,
    bool? Matched = null,
    bool BadInput = false,
    bool Interrupted = false)
{
    /// <summary>Whether this is one of the caller's inputs (a <c>GET DATA</c>), not something the caller only heard.</summary>
    [JsonIgnore]
    public bool IsInput => Kind is CallTraceEventKind.MenuDigit or CallTraceEventKind.Number or CallTraceEventKind.Password or CallTraceEventKind.Confirmation;
}
