using System.Text.Json;
using Ivr.Domain;
using Moq;

namespace Ivr.CallFlow.Tests;

/// <summary>The trace every call's audit row carries (issue 15), as <see cref="TemporaryPasswordCall"/> records it through <c>CallTraceRecorder</c>.</summary>
public class CallTraceRecorderTests
{
    private const string Main = CallHarness.MainNumber;
    private static readonly string[] Passwords = ["24681357", "86427531", "13572468"];

    [Test]
    public async Task A_mismatch_is_traced_by_shape_only_at_every_password_step()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, Passwords[0])
            .Answer(PromptId.ConfirmPassword, Passwords[1])
            .Answer(PromptId.EnterPassword, Passwords[2])
            .Answer(PromptId.ConfirmPassword, Passwords[2]);

        Assert.That(await call.RunAsync(Main), Is.EqualTo(CallOutcome.Completed));

        var events = call.AuditRow.Trace!.Events;
        Assert.That(events.Select(Shape), Is.EqualTo(new[]
        {
            "menu-digit temp-password/select-unit keys=1 length=1",
            "read-back keys=0612345678",
            "played temp-password/setting-for",
            "password temp-password/enter-password length=8",
            "confirmation temp-password/confirm-password length=8 matched=False bad-input",
            "played temp-password/invalid-retry",
            "password temp-password/enter-password length=8",
            "confirmation temp-password/confirm-password length=8 matched=True",
            "read-back keys=0612345678",
            "played temp-password/completed",
            "hung-up",
        }));
        var json = JsonSerializer.Serialize(call.AuditRow);
        Assert.That(Passwords.Where(json.Contains), Is.Empty, json);
    }

    [Test]
    public async Task A_short_entry_a_timeout_and_a_refused_number_keep_their_shape_and_the_number_its_keys()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "", timedOut: true)
            .Answer(PromptId.SelectUnit, "2")
            .Answer(PromptId.EnterNumber, CallHarness.OtherContractNumber)
            .Answer(PromptId.EnterNumber, CallHarness.AdditionalNumber)
            .HangUpAt(PromptId.EnterPassword);

        Assert.That(await call.RunAsync(Main), Is.EqualTo(CallOutcome.CallerHungUp));

        Assert.That(call.AuditRow.Trace!.Events.Where(e => e.IsInput).Select(Shape), Is.EqualTo(new[]
        {
            "menu-digit temp-password/select-unit keys= timed-out bad-input",
            "menu-digit temp-password/select-unit keys=2 length=1",
            $"number temp-password/enter-number keys={CallHarness.OtherContractNumber} length=10 bad-input",
            $"number temp-password/enter-number keys={CallHarness.AdditionalNumber} length=10",
            "password temp-password/enter-password interrupted",
        }));
    }

    [Test]
    public async Task Each_event_is_timed_on_the_flows_clock()
    {
        var call = new CallHarness();
        call.Caller.Setup(c => c.PlayAsync(PromptId.CallerIdRequired, It.IsAny<CancellationToken>()))
            .Returns(() => { call.Time.Advance(TimeSpan.FromSeconds(4)); return ValueTask.CompletedTask; });
        call.Caller.Setup(c => c.HangUpAsync(It.IsAny<CancellationToken>()))
            .Returns(() => { call.Time.Advance(TimeSpan.FromMilliseconds(20)); return ValueTask.CompletedTask; });

        await call.RunAsync("anonymous", 35);

        Assert.That(call.AuditRow.Trace!.Events.Select(e => (e.Kind, e.At, e.Duration)), Is.EqualTo(new[]
        {
            (CallTraceEventKind.Played, TimeSpan.Zero, TimeSpan.FromSeconds(4)),
            (CallTraceEventKind.HungUp, TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(20)),
        }));
    }

    private static string Shape(CallTraceEvent e) => string.Join(" ", new[]
    {
        e.Kind.ToName(), e.Prompt, e.Keys is null ? null : "keys=" + e.Keys, e.Length > 0 ? $"length={e.Length}" : null,
        e.TimedOut ? "timed-out" : null, e.Matched is { } matched ? $"matched={matched}" : null, e.BadInput ? "bad-input" : null,
        e.Interrupted ? "interrupted" : null,
    }.Where(part => part is not null));
}
