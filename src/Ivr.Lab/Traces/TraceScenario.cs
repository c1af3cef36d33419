using Ivr.Domain;
using Ivr.Lab.Scenarios;
using Ivr.Store;

namespace Ivr.Lab.Traces;

/// <summary>
/// Turns a call's trace and audit row into a scenario that walks the same path (issue 15): the same prompts, the
/// same keys at the menu and the numbers, placeholder passwords of the recorded shape, the recorded ending and outcome.
/// </summary>
/// <remarks>
/// A first entry becomes <c>1…</c> of its length (<c>11111111</c>); a confirmation that matched repeats it, one that
/// did not is <c>2…</c> (<c>22222222</c>). An eight-key entry the flow refused held a <c>*</c>, so its placeholder
/// ends with one. A <c>#</c> is added where the input did not time out and fell short of its digit limit, as only a
/// <c>#</c> ends it there.
/// </remarks>
public static class TraceScenario
{
    private const string FirstEntry = "1";
    private const string Mismatch = "2";

    /// <summary>The scenario, and notes for its header: what the lab cannot reproduce of this call, if anything.</summary>
    public static (Scenario Scenario, IReadOnlyList<string> Notes) From(AuditRow row, CallTrace trace)
    {
        var notes = new List<string> { $"From the trace of call {row.CallId} ({row.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC); passwords are placeholders of the keyed shape." };
        var steps = new List<ScenarioStep>();
        var hear = new List<string>();
        string? entry = null;
        string? confirmed = null;
        foreach (var e in trace.Events)
        {
            switch (e)
            {
                case { Kind: CallTraceEventKind.Played }:
                    hear.Add(e.Prompt ?? "");
                    break;
                case { Kind: CallTraceEventKind.ReadBack }:
                    hear.Add("digits:" + e.Keys);
                    break;
                case { IsInput: true }:
                    hear.Add(e.Prompt ?? "");
                    var press = Press(e, entry);
                    entry = e.Kind == CallTraceEventKind.Password ? press : entry;
                    confirmed = e is { Kind: CallTraceEventKind.Confirmation, Matched: true } ? press : confirmed;
                    steps.Add(new ScenarioStep(hear, press));
                    hear = [];
                    break;
            }
            if (e is { Interrupted: true, IsInput: false, Kind: not CallTraceEventKind.HungUp } && row.Outcome == CallOutcome.CallerHungUp)
            {
                notes.Add($"The caller hung up while {(e.Prompt ?? "digits:" + e.Keys)} played; the lab hangs up only at an input, so a replay asks once more.");
            }
        }
        if (hear.Count > 0 || steps.Count == 0)
        {
            steps.Add(new ScenarioStep(hear, null));
        }
        if (row.Outcome == CallOutcome.SystemError)
        {
            notes.Add($"The call ended in a system error ({row.Reason ?? "no reason recorded"}), which the lab does not reproduce: a replay follows the caller's keys only.");
        }
        var end = trace.Events.Any(e => e.Kind == CallTraceEventKind.HungUp) ? ScenarioEnd.SystemHangup : ScenarioEnd.CallerHangup;
        var credentials = row is { Outcome: CallOutcome.Completed, TargetNumber: { } target, Unit: { } unit } && confirmed is not null
            ? [new ExpectedCredential(target, unit.ToName(), confirmed)]
            : Array.Empty<ExpectedCredential>();
        var scenario = new Scenario(
            $"call {row.CallId}: {row.Outcome.ToName()} at {row.StepReached}, replayed from its trace",
            row.CallerNumber ?? "anonymous",
            CallingPresentation: null,
            steps,
            end,
            row.Outcome.ToName(),
            credentials,
            Unchanged: []);
        return (scenario, notes);
    }

    private static string Press(CallTraceEvent input, string? entry)
    {
        if (input.Interrupted)
        {
            return "hangup";
        }
        if (input is { Length: 0, TimedOut: true })
        {
            return "timeout";
        }
        var (keys, limit) = input.Kind switch
        {
            CallTraceEventKind.MenuDigit => (input.Keys ?? "", 1),
            CallTraceEventKind.Number => (input.Keys ?? "", int.MaxValue),
            CallTraceEventKind.Confirmation when input.Matched == true && entry is not null => (entry, TemporaryPassword.Length),
            CallTraceEventKind.Confirmation => (Repeat(Mismatch, input.Length), TemporaryPassword.Length),
            _ => (FirstEntryOf(input), TemporaryPassword.Length),
        };
        return !input.TimedOut && input.Length < limit ? keys + "#" : keys;
    }

    private static string FirstEntryOf(CallTraceEvent entry) =>
        entry is { BadInput: true, TimedOut: false, Length: TemporaryPassword.Length }
            ? Repeat(FirstEntry, entry.Length - 1) + "*"
            : Repeat(FirstEntry, entry.Length);

    private static string Repeat(string key, int count) => string.Concat(Enumerable.Repeat(key, count));
}
