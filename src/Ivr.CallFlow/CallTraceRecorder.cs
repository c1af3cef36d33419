using Ivr.Domain;

namespace Ivr.CallFlow;

/// <summary>
/// The caller, as the call flow talks to them, with every command written down as a <see cref="CallTraceEvent"/>
/// (issue 15): what was played and read back, each input by its kind, how long each took (on the flow's clock).
/// A password entry and its confirmation are kept only as their shape; anything asked that is not the menu or a
/// number is treated as a password, so a new prompt can never leak digits into a trace.
/// </summary>
internal sealed class CallTraceRecorder(ICaller caller, TimeProvider time) : ICaller
{
    // A whole call is about a dozen events; one list, grown once at most.
    private readonly List<CallTraceEvent> _events = new(16);
    private readonly long _callStarted = time.GetTimestamp();

    public async Task PlayAsync(PromptId prompt, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            await caller.PlayAsync(prompt, cancellationToken);
        }
        catch
        {
            _events.Add(Event(CallTraceEventKind.Played, started) with { Prompt = prompt.Value, Interrupted = true });
            throw;
        }
        _events.Add(Event(CallTraceEventKind.Played, started) with { Prompt = prompt.Value });
    }

    public async Task SayDigitsAsync(string digits, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            await caller.SayDigitsAsync(digits, cancellationToken);
        }
        catch
        {
            _events.Add(Event(CallTraceEventKind.ReadBack, started) with { Keys = digits, Interrupted = true });
            throw;
        }
        _events.Add(Event(CallTraceEventKind.ReadBack, started) with { Keys = digits });
    }

    public async Task<CallerInput> AskAsync(PromptId prompt, TimeSpan timeout, int maxDigits, CancellationToken cancellationToken)
    {
        var kind = InputKind(prompt);
        var started = time.GetTimestamp();
        CallerInput input;
        try
        {
            input = await caller.AskAsync(prompt, timeout, maxDigits, cancellationToken);
        }
        catch
        {
            _events.Add(Event(kind, started) with { Prompt = prompt.Value, Interrupted = true });
            throw;
        }
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
        return input;
    }

    public async Task HangUpAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            await caller.HangUpAsync(cancellationToken);
        }
        catch
        {
            _events.Add(Event(CallTraceEventKind.HungUp, started) with { Interrupted = true });
            throw;
        }
        _events.Add(Event(CallTraceEventKind.HungUp, started));
    }

    /// <summary>The flow counted the input just keyed as a bad input.</summary>
    public void BadInput()
    {
        if (_events is [.., { IsInput: true } last])
        {
            _events[^1] = last with { BadInput = true, Matched = last.Matched is null ? null : false };
        }
    }

    public CallTrace ToTrace() => new(_events);

    private CallTraceEvent Event(CallTraceEventKind kind, long started) =>
        new(kind, time.GetElapsedTime(_callStarted, started), time.GetElapsedTime(started));

    private static CallTraceEventKind InputKind(PromptId prompt) =>
        prompt == PromptId.SelectUnit ? CallTraceEventKind.MenuDigit
        : prompt == PromptId.EnterNumber ? CallTraceEventKind.Number
        : prompt == PromptId.ConfirmPassword ? CallTraceEventKind.Confirmation
        : CallTraceEventKind.Password;
}
