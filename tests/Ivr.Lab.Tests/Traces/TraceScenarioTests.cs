using Ivr.Domain;
using Ivr.Lab.Scenarios;
using Ivr.Lab.Traces;
using Ivr.Store;

namespace Ivr.Lab.Tests.Traces;

/// <summary>The presses a trace becomes, for inputs the shared scenarios do not have (their round trip is an end-to-end test).</summary>
public class TraceScenarioTests
{
    private static readonly AuditRow Row = new("1775034000.5", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "0612345678", SettingUnit.Number,
        "0612345679", CallOutcome.TooManyErrors, "entering-password", null, HasTrace: true);

    [Test]
    public void Each_input_becomes_the_press_that_ends_it_the_same_way()
    {
        var (scenario, _) = TraceScenario.From(Row, new CallTrace(
        [
            Input(CallTraceEventKind.MenuDigit, "temp-password/select-unit", keys: "", length: 0),
            Input(CallTraceEventKind.MenuDigit, "temp-password/select-unit", keys: "2", length: 1),
            Input(CallTraceEventKind.Number, "temp-password/enter-number", keys: "061", length: 3, timedOut: true, bad: true),
            Input(CallTraceEventKind.Number, "temp-password/enter-number", keys: "0612345679", length: 10),
            Input(CallTraceEventKind.Password, "temp-password/enter-password", length: 8, bad: true),
            Input(CallTraceEventKind.Password, "temp-password/enter-password", length: 5),
            Input(CallTraceEventKind.Password, "temp-password/enter-password", length: 0, timedOut: true),
        ]));

        Assert.That(scenario.Presses, Is.EqualTo(new[] { "#", "2", "061", "0612345679#", "1111111*", "11111#", "timeout" }));
    }

    [Test]
    public void A_confirmation_repeats_the_entry_when_it_matched_and_a_hang_up_at_an_input_is_pressed_as_hangup()
    {
        var (scenario, notes) = TraceScenario.From(Row with { Outcome = CallOutcome.CallerHungUp }, new CallTrace(
        [
            Input(CallTraceEventKind.Password, "temp-password/enter-password", length: 8),
            Input(CallTraceEventKind.Confirmation, "temp-password/confirm-password", length: 8, matched: false, bad: true),
            Input(CallTraceEventKind.Password, "temp-password/enter-password", length: 8),
            Input(CallTraceEventKind.Confirmation, "temp-password/confirm-password", length: 8, matched: true),
            new(CallTraceEventKind.ReadBack, TimeSpan.Zero, TimeSpan.Zero, Keys: "0612345679"),
            new(CallTraceEventKind.Played, TimeSpan.Zero, TimeSpan.Zero, "temp-password/completed", Interrupted: true),
        ]));

        Assert.That(scenario.Presses, Is.EqualTo(new[] { "11111111", "22222222", "11111111", "11111111" }));
        Assert.That(scenario.Steps[^1].Hear, Is.EqualTo(new[] { "digits:0612345679", "temp-password/completed" }));
        Assert.That((scenario.End, scenario.Outcome), Is.EqualTo((ScenarioEnd.CallerHangup, "caller-hung-up")));
        Assert.That(notes, Has.Some.Contains("hung up while temp-password/completed played"));
    }

    [Test]
    public void A_completed_call_expects_its_credential_with_the_placeholder_and_a_withheld_caller_is_anonymous()
    {
        var (scenario, _) = TraceScenario.From(Row with { Outcome = CallOutcome.Completed, CallerNumber = null }, new CallTrace(
        [
            Input(CallTraceEventKind.Password, "temp-password/enter-password", length: 8),
            Input(CallTraceEventKind.Confirmation, "temp-password/confirm-password", length: 8, matched: true),
            new(CallTraceEventKind.HungUp, TimeSpan.Zero, TimeSpan.Zero),
        ]));

        Assert.That(scenario.Credentials, Is.EqualTo(new[] { new ExpectedCredential("0612345679", "number", "11111111") }));
        Assert.That((scenario.Caller, scenario.End), Is.EqualTo(("anonymous", ScenarioEnd.SystemHangup)));
    }

    [Test]
    public void The_written_file_reads_back_as_the_same_scenario()
    {
        var scenario = new Scenario("a \"quoted\" name: with a colon", "0612345678", 33,
            [new(["temp-password/select-unit"], "1"), new(["digits:0612345678", "temp-password/too-many-errors"], null)],
            ScenarioEnd.SystemHangup, "too-many-errors", [new("0612345678", "line", "11111111")], ["0698765432"]);

        var back = ScenarioFile.Parse(ScenarioYaml.Format(scenario, ["a note", "another"]), "generated");

        Assert.That(back with { Steps = scenario.Steps, Credentials = scenario.Credentials, Unchanged = scenario.Unchanged }, Is.EqualTo(scenario));
        Assert.That(back.Steps.Select(step => (string.Join(",", step.Hear), step.Press)), Is.EqualTo(scenario.Steps.Select(step => (string.Join(",", step.Hear), step.Press))));
        Assert.That((back.Credentials.Single(), back.Unchanged.Single()), Is.EqualTo((scenario.Credentials[0], "0698765432")));
    }

    private static CallTraceEvent Input(
        CallTraceEventKind kind, string prompt, string? keys = null, int length = 0, bool timedOut = false, bool? matched = null, bool bad = false) =>
        new(kind, TimeSpan.Zero, TimeSpan.Zero, prompt, keys, length, timedOut, matched, bad);
}
