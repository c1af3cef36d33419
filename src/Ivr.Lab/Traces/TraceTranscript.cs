using System.Globalization;
using Ivr.Domain;
using Ivr.Store;

namespace Ivr.Lab.Traces;

/// <summary>
/// Writes a call's trace as an operator reads it (issue 15), like <see cref="LabTranscript"/>: when each thing
/// happened, each prompt with its Japanese text, each input by its kind (a password only by its shape), the ending.
/// </summary>
public static class TraceTranscript
{
    public static void Write(TextWriter output, AuditRow row, CallTrace trace, PromptCatalog prompts)
    {
        output.WriteLine($"call {row.CallId} from {row.CallerNumber ?? "a withheld number"} at {row.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        foreach (var e in trace.Events)
        {
            var heard = e.Kind == CallTraceEventKind.ReadBack ? "digits:" + e.Keys : e.Prompt;
            if (heard is not null)
            {
                output.WriteLine($"  {Seconds(e.At)}  ♪ {heard,-42} {prompts.TextOf(heard)}");
            }
            var what = e.IsInput ? Input(e) : e.Kind == CallTraceEventKind.HungUp ? "■ the server hung up" : null;
            if (what is not null)
            {
                output.WriteLine($"  {Seconds(e.At + e.Duration)}  {what}{(e.BadInput ? "  ✗ bad input" : "")}");
            }
            if (e.Interrupted)
            {
                output.WriteLine($"  {Seconds(e.At + e.Duration)}  ! interrupted after {Seconds(e.Duration).Trim()}");
            }
        }
        var reason = row.Reason is null ? "" : $" ({row.Reason})";
        output.WriteLine($"  ■ audit: {row.Outcome.ToName()} at {row.StepReached}{reason}");
    }

    private static string Input(CallTraceEvent e)
    {
        var took = $"after {Seconds(e.Duration).Trim()}";
        if (e.Interrupted)
        {
            return $"☎ {Name(e.Kind)}: no answer";
        }
        if (e is { Length: 0, TimedOut: true })
        {
            return $"☎ {Name(e.Kind)}: timeout, {took}";
        }
        var keys = e.Keys ?? new string('•', e.Length);
        var ending = e.TimedOut ? " (timeout)" : "";
        var match = e.Matched switch { true => ", matched", false => ", did not match", null => "" };
        return $"☎ {Name(e.Kind)} {keys}{ending}{match}, {took}";
    }

    private static string Name(CallTraceEventKind kind) => kind.ToName().Replace('-', ' ');

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture).PadLeft(6) + " s";
}
