using System.Text.Json;
using Ivr.CallFlow;
using Ivr.Testing;

namespace Ivr.Store.Tests.Audit;

public sealed class AuditLogTests
{
    private TestStore _store = null!;

    [SetUp]
    public async Task CreateStore() => _store = await TestStore.CreateAsync();

    [TearDown]
    public async Task DropStore() => await _store.DisposeAsync();

    [Test]
    public async Task A_written_row_is_found_by_its_call_id_in_the_spec_words()
    {
        // Started at 18:00 in Japan, which is 09:00 UTC; the clock says when the call ended.
        var started = new DateTimeOffset(2026, 4, 1, 18, 0, 0, TimeSpan.FromHours(9));
        _store.Clock.SetUtcNow(started.AddMinutes(2).ToUniversalTime());

        await _store.Audit.WriteAsync(
            new CallRecord("1775034000.1", started, "0612345679", SettingUnit.AdminUser, "0612345679", CallOutcome.TooManyErrors, "EnteringPassword"),
            CancellationToken.None);

        Assert.That(await _store.Audit.FindAsync("1775034000.1", CancellationToken.None), Is.EqualTo(new AuditRow(
            "1775034000.1", started.ToUniversalTime(), started.AddMinutes(2).ToUniversalTime(),
            "0612345679", SettingUnit.AdminUser, "0612345679", CallOutcome.TooManyErrors, "EnteringPassword")));
    }

    [Test]
    public async Task A_call_that_got_no_caller_id_is_audited_with_empty_fields()
    {
        await _store.Audit.WriteAsync(
            new CallRecord("1775034000.2", TestClock.Start, null, null, null, CallOutcome.CallerIdRequired, "CheckingCaller"), CancellationToken.None);

        var row = await _store.Audit.FindAsync("1775034000.2", CancellationToken.None);

        Assert.That((row!.CallerNumber, row.Unit, row.TargetNumber, row.Outcome), Is.EqualTo(((string?)null, (SettingUnit?)null, (string?)null, CallOutcome.CallerIdRequired)));
    }

    [Test]
    public async Task A_second_row_for_the_same_call_id_is_dropped_and_the_first_stands()
    {
        await _store.Audit.WriteAsync(Record("1775034000.3", CallOutcome.Completed), CancellationToken.None);

        await _store.Audit.WriteAsync(Record("1775034000.3", CallOutcome.SystemError), CancellationToken.None);

        var row = await _store.Audit.FindAsync("1775034000.3", CancellationToken.None);
        Assert.That(row!.Outcome, Is.EqualTo(CallOutcome.Completed));
        Assert.That(await _store.Audit.TailAsync(10, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_unknown_call_id_finds_nothing()
    {
        Assert.That(await _store.Audit.FindAsync("1775034000.404", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Tail_gives_the_last_rows_written_newest_last()
    {
        foreach (var id in new[] { "b", "a", "d", "c", "e" })
        {
            await _store.Audit.WriteAsync(Record(id, CallOutcome.CallerHungUp), CancellationToken.None);
        }

        var tail = await _store.Audit.TailAsync(3, CancellationToken.None);

        Assert.That(tail.Select(row => row.CallId), Is.EqualTo(new[] { "d", "c", "e" }));
        Assert.That(await _store.Audit.TailAsync(0, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Every_outcome_and_unit_the_call_flow_knows_can_be_written_and_read_back()
    {
        foreach (var outcome in Enum.GetValues<CallOutcome>())
        {
            foreach (var unit in Enum.GetValues<SettingUnit>())
            {
                var callId = $"{outcome}-{unit}";
                await _store.Audit.WriteAsync(Record(callId, outcome) with { Unit = unit }, CancellationToken.None);

                var row = await _store.Audit.FindAsync(callId, CancellationToken.None);

                Assert.That((row!.Outcome, row.Unit), Is.EqualTo((outcome, (SettingUnit?)unit)));
            }
        }
    }

    [Test]
    public async Task A_row_prints_as_json_in_the_spec_words()
    {
        await _store.Audit.WriteAsync(Record("1775034000.9", CallOutcome.TooManyErrors) with { Unit = SettingUnit.AdminUser }, CancellationToken.None);

        var json = JsonSerializer.Serialize(await _store.Audit.FindAsync("1775034000.9", CancellationToken.None), new JsonSerializerOptions(JsonSerializerDefaults.Web));

        using var document = JsonDocument.Parse(json);
        Assert.That(document.RootElement.GetProperty("unit").GetString(), Is.EqualTo("admin-user"));
        Assert.That(document.RootElement.GetProperty("outcome").GetString(), Is.EqualTo("too-many-errors"));
    }

    private static CallRecord Record(string callId, CallOutcome outcome) =>
        new(callId, TestClock.Start, "0612345678", SettingUnit.Line, "0612345678", outcome, "Committing");
}
