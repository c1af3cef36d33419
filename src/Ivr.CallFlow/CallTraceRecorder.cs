using Ivr.Domain;

namespace Ivr.CallFlow;

/// <summary>
/// Writes down every command the call gives the caller as a <see cref="CallTraceEvent"/> (issue 15): what was played
/// and read back, each input by its kind, how long each took (on the flow's clock). A password entry and its
/// confirmation are kept only as their shape; anything asked that is not the menu or a number is treated as a
/// password, so a new prompt can never leak digits into a trace.
/// </summary>
/// <remarks>One recorder serves a flow's calls one after another: its list outlives them, and each trace is a copy.</remarks>
internal sealed class CallTraceRecorder(TimeProvider time)
{
    // A call is eight events or fewer unless the caller keys something wrong; one list, grown once at most.
    private readonly List<CallTraceEvent> _events = new(8);
    private long _callStarted;

    /// <summary>A new call starts: its events' times count from now.</summary>
    public void Start()
    {
        _events.Clear();
        _callStarted = time.GetTimestamp();
    }

    /// <summary>The call's events are let go of (its trace, if taken, is a copy).</summary>
    public void Clear() => _events.Clear();

    public void Played(PromptId prompt, long started, bool interrupted = false) =>
        _events.Add(Event(CallTraceEventKind.Played, started) with { Prompt = prompt.Value, Interrupted = interrupted });

    public void ReadBack(string digits, long started, bool interrupted = false) =>
        _events.Add(Event(CallTraceEventKind.ReadBack, started) with { Keys = digits, Interrupted = interrupted });

    public void Keyed(PromptId prompt, long started, CallerInput input)
    {
        var kind = InputKind(prompt);
        var keysKept = kind is CallTraceEventKind.MenuDigit or CallTraceEventKind.Number;
        _events.Add(Event(kind, started) with
        {
            Prompt = prompt.Value,
            Keys = keysKept ? input.Digits : null,
            Length = input.Digits.Length,
            TimedOut = input.TimedOut,
            // The flow says otherwise through BadInput: a confirmation it refuses did not match.
            Matched = kind == CallTraceEventKind.Confirmation ? true : null,
        });
    }

    /// <summary>An input the caller never finished: they hung up, the server stopped, or Asterisk failed it.</summary>
    public void NotKeyed(PromptId prompt, long started) =>
        _events.Add(Event(InputKind(prompt), started) with { Prompt = prompt.Value, Interrupted = true });

    public void HungUp(long started, bool interrupted = false) =>
        _events.Add(Event(CallTraceEventKind.HungUp, started) with { Interrupted = interrupted });

    /// <summary>The flow counted the input just keyed as a bad input.</summary>
    public void BadInput()
    {
        if (_events is [.., { IsInput: true } last])
        {
            _events[^1] = last with { BadInput = true, Matched = last.Matched is null ? null : false };
        }
    }

    public CallTrace ToTrace() => new(_events.ToArray());

    private CallTraceEvent Event(CallTraceEventKind kind, long started) =>
        new(kind, time.GetElapsedTime(_callStarted, started), time.GetElapsedTime(started));

    private static CallTraceEventKind InputKind(PromptId prompt) =>
        prompt == PromptId.SelectUnit ? CallTraceEventKind.MenuDigit
        : prompt == PromptId.EnterNumber ? CallTraceEventKind.Number
        : prompt == PromptId.ConfirmPassword ? CallTraceEventKind.Confirmation
        : CallTraceEventKind.Password;
}
