using System.Text.Json;
using Ivr.Domain;
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
        // Started at 18:00 in Japan, which is 09:00 UTC; the record says when the call ended, whenever the row is written.
        var started = new DateTimeOffset(2026, 4, 1, 18, 0, 0, TimeSpan.FromHours(9));
        _store.Clock.SetUtcNow(started.AddHours(1).ToUniversalTime());

        await _store.Audit.WriteAsync(
            new CallRecord("1775034000.1", started, started.AddMinutes(2), "0612345679", SettingUnit.AdminUser, "0612345679", CallOutcome.TooManyErrors,
                "entering-password"),
            CancellationToken.None);

        Assert.That(await _store.Audit.FindAsync("1775034000.1", CancellationToken.None), Is.EqualTo(new AuditRow(
            "1775034000.1", started.ToUniversalTime(), started.AddMinutes(2).ToUniversalTime(),
            "0612345679", SettingUnit.AdminUser, "0612345679", CallOutcome.TooManyErrors, "entering-password", null)));
    }

    [Test]
    public async Task A_refused_commit_keeps_its_reason_in_the_row()
    {
        await _store.Audit.WriteAsync(Record("1775034000.3", CallOutcome.NotContracted) with { Reason = "target-not-in-contract" }, CancellationToken.None);

        var row = await _store.Audit.FindAsync("1775034000.3", CancellationToken.None);

        Assert.That((row!.Outcome, row.Reason), Is.EqualTo((CallOutcome.NotContracted, "target-not-in-contract")));
    }

    [Test]
    public async Task A_call_that_got_no_caller_id_is_audited_with_empty_fields()
    {
        await _store.Audit.WriteAsync(
            new CallRecord("1775034000.2", TestClock.Start, TestClock.Start, null, null, null, CallOutcome.CallerIdRequired, "checking-caller"), CancellationToken.None);

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

    private static readonly CallTrace Trace = new(
    [
        new(CallTraceEventKind.MenuDigit, TimeSpan.Zero, TimeSpan.FromSeconds(3.2), "temp-password/select-unit", "1", 1),
        new(CallTraceEventKind.ReadBack, TimeSpan.FromSeconds(3.2), TimeSpan.FromSeconds(4), Keys: "0612345678"),
        new(CallTraceEventKind.Password, TimeSpan.FromSeconds(7.2), TimeSpan.FromSeconds(6), "temp-password/enter-password", Length: 7, TimedOut: true, BadInput: true),
        new(CallTraceEventKind.Confirmation, TimeSpan.FromSeconds(14), TimeSpan.FromSeconds(5), "temp-password/confirm-password", Length: 8, Matched: false, BadInput: true),
        new(CallTraceEventKind.HungUp, TimeSpan.FromSeconds(20), TimeSpan.Zero, Interrupted: true),
    ]);

    [Test]
    public async Task A_trace_follows_its_row_and_reads_back_as_it_was()
    {
        await _store.Audit.WriteAsync(Record("1775034000.20", CallOutcome.TooManyErrors) with { Trace = Trace }, CancellationToken.None);

        var trace = await TraceOfAsync("1775034000.20");

        Assert.That(trace!.Events, Is.EqualTo(Trace.Events));
        Assert.That((await _store.Audit.FindAsync("1775034000.20", CancellationToken.None))!.HasTrace, Is.True);
    }

    [Test]
    public async Task A_played_prompt_keeps_its_kind_though_defaults_are_left_out_of_the_document()
    {
        var played = new CallTrace([new(CallTraceEventKind.Played, TimeSpan.Zero, TimeSpan.Zero, "temp-password/not-contracted")]);
        await _store.Audit.WriteAsync(Record("1775034000.24", CallOutcome.NotContracted) with { Trace = played }, CancellationToken.None);
        await TraceOfAsync("1775034000.24");

        await using var command = _store.Database.DataSource.CreateCommand("SELECT trace -> 'events' -> 0 ->> 'kind' FROM call_trace WHERE call_id = '1775034000.24'");
        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("played"), "readers of the table find every event's kind");
    }

    [Test]
    public async Task Rows_written_together_each_keep_their_own_trace_or_none()
    {
        // Written at once, the rows share a batch, and their traces one statement, as one array: each must land on its own row.
        var rows = Enumerable.Range(0, 12).Select(i => Record($"1775034001.{i}", CallOutcome.Completed) with
        {
            Trace = i % 3 == 0 ? null : new CallTrace([new(CallTraceEventKind.Played, TimeSpan.FromSeconds(i), TimeSpan.Zero, $"prompt-{i}")]),
        }).ToList();

        await Task.WhenAll(rows.Select(row => _store.Audit.WriteAsync(row, CancellationToken.None)));

        foreach (var row in rows.OrderBy(row => row.Trace is null)) // once a traced row's trace is in, the batch's all are
        {
            var trace = row.Trace is null ? await _store.Audit.FindTraceAsync(row.CallId, CancellationToken.None) : await TraceOfAsync(row.CallId);
            Assert.That(trace?.Events, Is.EqualTo(row.Trace?.Events), row.CallId);
            Assert.That((await _store.Audit.FindAsync(row.CallId, CancellationToken.None))!.HasTrace, Is.EqualTo(row.Trace is not null), row.CallId);
        }
    }

    [Test]
    public async Task A_row_without_a_trace_has_none_and_says_so()
    {
        await _store.Audit.WriteAsync(Record("1775034000.21", CallOutcome.Completed), CancellationToken.None);
        await _store.Audit.WriteAsync(Record("1775034000.25", CallOutcome.Completed) with { Trace = Trace }, CancellationToken.None);
        await TraceOfAsync("1775034000.25"); // traces are written in order: one for the row before would be in by now

        Assert.That(await _store.Audit.FindTraceAsync("1775034000.21", CancellationToken.None), Is.Null);
        Assert.That((await _store.Audit.TailAsync(2, CancellationToken.None)).Select(row => row.HasTrace), Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public async Task A_dropped_duplicate_row_brings_no_trace_and_the_first_calls_trace_stands()
    {
        await _store.Audit.WriteAsync(Record("1775034000.22", CallOutcome.Completed), CancellationToken.None);
        await _store.Audit.WriteAsync(Record("1775034000.22", CallOutcome.SystemError) with { Trace = Trace }, CancellationToken.None);
        await _store.Audit.WriteAsync(Record("1775034000.23", CallOutcome.Completed) with { Trace = Trace }, CancellationToken.None);
        await _store.Audit.WriteAsync(Record("1775034000.23", CallOutcome.SystemError) with { Trace = new CallTrace([]) }, CancellationToken.None);

        Assert.That((await TraceOfAsync("1775034000.23"))!.Events, Is.EqualTo(Trace.Events));
        Assert.That(await _store.Audit.FindTraceAsync("1775034000.22", CancellationToken.None), Is.Null, "its trace would be in with the later one's");
    }

    [Test]
    public async Task Deleting_old_traces_keeps_newer_ones_and_every_audit_row()
    {
        await _store.Audit.WriteAsync(Record("old", CallOutcome.Completed) with { StartedAt = TestClock.Start.AddDays(-31), Trace = Trace }, CancellationToken.None);
        await _store.Audit.WriteAsync(Record("new", CallOutcome.Completed) with { StartedAt = TestClock.Start.AddDays(-29), Trace = Trace }, CancellationToken.None);
        await TraceOfAsync("new");

        var deleted = await _store.Audit.DeleteTracesStartedBeforeAsync(TestClock.Start.AddDays(-30), CancellationToken.None);

        Assert.That(deleted, Is.EqualTo(1));
        Assert.That(await _store.Audit.FindTraceAsync("old", CancellationToken.None), Is.Null);
        Assert.That(await _store.Audit.FindTraceAsync("new", CancellationToken.None), Is.Not.Null);
        Assert.That((await _store.Audit.TailAsync(10, CancellationToken.None)).Select(row => (row.CallId, row.HasTrace)), Is.EqualTo(new[] { ("old", false), ("new", true) }));
    }

    [Test]
    public async Task A_trace_the_database_refuses_costs_only_itself_and_later_traces_are_written()
    {
        var logs = new CapturingLoggerProvider();
        await using var store = await TestStore.CreateAsync(logs: logs);
        await using (var refuse = store.Database.DataSource.CreateCommand("ALTER TABLE call_trace ADD CONSTRAINT refused CHECK (false) NOT VALID"))
        {
            await refuse.ExecuteNonQueryAsync();
        }

        await store.Audit.WriteAsync(Record("1775034000.30", CallOutcome.Completed) with { Trace = Trace }, CancellationToken.None);
        Assert.That(() => logs.Lines, Has.Some.Match(@"^Warning .*The traces of 1 calls were not written \(database-unavailable\); their audit rows stand").After(10_000, 20));
        await using (var admit = store.Database.DataSource.CreateCommand("ALTER TABLE call_trace DROP CONSTRAINT refused"))
        {
            await admit.ExecuteNonQueryAsync();
        }
        await store.Audit.WriteAsync(Record("1775034000.31", CallOutcome.Completed) with { Trace = Trace }, CancellationToken.None);

        Assert.That(await store.Audit.FindAsync("1775034000.30", CancellationToken.None), Is.Not.Null.And.Property(nameof(AuditRow.HasTrace)).False);
        Assert.That((await store.Audit.FindTraceAsync((await store.Audit.FindAsync("1775034000.31", CancellationToken.None))!, CancellationToken.None))!.Events, Is.EqualTo(Trace.Events));
    }

    [Test]
    public async Task Closing_the_audit_log_writes_the_traces_still_waiting()
    {
        var writer = StoreServices.Compose(TestServices.Configuration(_store.Database.ConnectionString));
        await writer.Audit.WriteAsync(Record("1775034000.32", CallOutcome.Completed) with { Trace = Trace }, CancellationToken.None);

        await writer.DisposeAsync();

        Assert.That((await _store.Audit.FindTraceAsync("1775034000.32", CancellationToken.None))!.Events, Is.EqualTo(Trace.Events));
    }

    // The row's trace, waited for as an operator's `ivr lab trace` waits for it right after a call.
    private async Task<CallTrace?> TraceOfAsync(string callId) =>
        await _store.Audit.FindTraceAsync((await _store.Audit.FindAsync(callId, CancellationToken.None))!, CancellationToken.None);

    private static CallRecord Record(string callId, CallOutcome outcome) =>
        new(callId, TestClock.Start, TestClock.Start, "0612345678", SettingUnit.Line, "0612345678", outcome, "committing");
}
