using System.Diagnostics.Metrics;
using Ivr.Domain;
using Ivr.Lab;
using Ivr.Server;
using Ivr.Server.Audit;
using Ivr.Server.Tests.Support;
using Ivr.Store;
using Ivr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Ivr.Server.Tests;

/// <summary>
/// Issue 14, done means 3: after an outage every call of the outage has its audit row, written once, in order, with
/// its own times, also when the server restarted meanwhile; operators see the rows waiting.
/// </summary>
[NonParallelizable]
public class AuditSpoolTests
{
    // The drain tries every 5 s; a restarted cluster and a pool with dead connections add a little.
    private static readonly TimeSpan DrainWithin = AuditSpoolDrain.RetryPeriod + TimeSpan.FromSeconds(10);

    [Test]
    public async Task Every_call_of_an_outage_gets_its_audit_row_once_in_order_with_its_own_time()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv, cluster.ConnectionString);
        var configuration = database.Configuration();
        using var waiting = new SpoolGauge();
        await using var server = await RunningServer.StartAsync(configuration);

        await cluster.StopAsync();
        var calls = new List<(string CallId, string Outcome, DateTimeOffset EndedBy)>();
        for (var i = 0; i < 4; i++)
        {
            // Contracted callers hear system-error at the caller check; a withheld number needs no database but its row.
            var withheld = i % 2 == 1;
            var setup = new LabCallSetup(LabCallSetup.NewCallId(), withheld ? "anonymous" : "0612345678", CallingPresentation: withheld ? 35 : 0);
            await SimulatedAsterisk.CallAsync(server.EndPoint, setup, ["1"], CancellationToken.None);
            // The server closes the call before it writes the row (issue 11): the row reaches the spool just after.
            await waiting.WaitForAsync(i + 1);
            calls.Add((setup.CallId, withheld ? "caller-id-required" : "system-error", DateTimeOffset.UtcNow));
        }
        var waitingDuringOutage = waiting.Rows;
        var backAt = DateTimeOffset.UtcNow;
        await cluster.RestartAsync();
        await using var store = StoreServices.Compose(configuration);
        var rows = await WaitForRowsAsync(store, calls.Count);

        Assert.That(waitingDuringOutage, Is.EqualTo(calls.Count), "ivr.audit.spool.rows showed the rows waiting");
        Assert.That(rows.Select(r => r.CallId), Is.EqualTo(calls.Select(c => c.CallId)), "one row per call, in the calls' order");
        foreach (var ((callId, outcome, endedBy), row) in calls.Zip(rows))
        {
            Assert.That(row.Outcome.ToName(), Is.EqualTo(outcome), callId);
            Assert.That(row.EndedAt, Is.LessThanOrEqualTo(endedBy).And.LessThan(backAt), "the row keeps the time its call ended, not the time it was written");
        }
        Assert.That(rows.Where(r => r.Outcome == CallOutcome.SystemError).Select(r => r.Reason), Has.All.EqualTo("database-unavailable"));
        Assert.That(Directory.GetFiles(database.AuditSpool), Is.Empty, "nothing is left waiting");
        Assert.That(waiting.Rows, Is.Zero);
    }

    [Test]
    public async Task Rows_waiting_when_the_server_restarts_are_written_by_the_next_start()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv, cluster.ConnectionString);
        var configuration = database.Configuration();
        var callIds = new List<string>();
        await using (var first = await RunningServer.StartAsync(configuration))
        {
            await cluster.StopAsync();
            for (var i = 0; i < 3; i++)
            {
                var setup = new LabCallSetup(LabCallSetup.NewCallId(), "anonymous", CallingPresentation: 35);
                await SimulatedAsterisk.CallAsync(first.EndPoint, setup, [], CancellationToken.None);
                callIds.Add(setup.CallId);
                // The server closes the call before it writes the row (issue 11): the row reaches the spool just after.
                for (var waited = System.Diagnostics.Stopwatch.StartNew();
                     Directory.GetFiles(database.AuditSpool, "*.json").Length <= i && waited.Elapsed < TimeSpan.FromSeconds(10);)
                {
                    await Task.Delay(20);
                }
            }
        }
        var keptOnDisk = Directory.GetFiles(database.AuditSpool, "*.json").Length;
        await cluster.RestartAsync();
        await using var store = StoreServices.Compose(configuration);
        var beforeTheStart = await store.Audit.TailAsync(10, CancellationToken.None);

        await using var second = await RunningServer.StartAsync(configuration);
        var rows = await WaitForRowsAsync(store, callIds.Count);

        Assert.That(keptOnDisk, Is.EqualTo(callIds.Count), "the stopped server left its rows on disk");
        Assert.That(beforeTheStart, Is.Empty);
        Assert.That(rows.Select(r => r.CallId), Is.EqualTo(callIds));
        Assert.That(Directory.GetFiles(database.AuditSpool), Is.Empty);
    }

    [Test]
    public void A_kept_row_is_read_back_whole_and_rows_are_read_in_the_order_they_were_kept_even_in_one_instant()
    {
        var folder = NewFolder();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var spool = Spool(folder, clock, limit: 10);
        var rows = new[]
        {
            new CallRecord("c-1", clock.GetUtcNow().AddMinutes(-1), clock.GetUtcNow(), "0612345678", SettingUnit.Number, "0612345679", CallOutcome.SystemError, "committing", "database-timeout"),
            new CallRecord("c-2", clock.GetUtcNow(), clock.GetUtcNow(), null, null, null, CallOutcome.CallerIdRequired, "checking-caller"),
        };

        spool.Add(rows[0]);
        spool.Add(rows[1]); // the same instant: the order still holds

        var reopened = Spool(folder, clock, limit: 10);

        Assert.That(reopened.Count, Is.EqualTo(2), "rows of an earlier run are counted at start");
        Assert.That(reopened.Waiting().Select(AuditSpool.Read), Is.EqualTo(rows));
    }

    [Test]
    public void A_full_spool_refuses_the_row_and_a_write_a_crash_interrupted_is_dropped_at_start()
    {
        var folder = NewFolder();
        var spool = Spool(folder, TimeProvider.System, limit: 1);
        var row = new CallRecord("c-1", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, null, null, CallOutcome.CallerIdRequired, "checking-caller");
        spool.Add(row);
        File.WriteAllText(Path.Combine(folder, "0000000000000000001.json.part"), "{\"CallId\":");

        Assert.That(() => spool.Add(row with { CallId = "c-2" }), Throws.InstanceOf<IOException>().With.Message.Contains("full"));
        Assert.That(spool.Count, Is.EqualTo(1));
        var reopened = Spool(folder, TimeProvider.System, limit: 1);
        Assert.That(reopened.Count, Is.EqualTo(1));
        Assert.That(Directory.GetFiles(folder).Select(Path.GetExtension), Is.EqualTo(new[] { ".json" }));
    }

    [TestCase("", 100, "IVR_AUDIT_SPOOL must name a folder")]
    [TestCase("spool", 0, "IVR_AUDIT_SPOOL_LIMIT '0' must be between 1 and 10000000")]
    public void A_spool_without_a_folder_or_a_sensible_limit_is_one_line_naming_the_variable(string folder, int limit, string problem) =>
        Assert.That(ServerOptionsValidator.FindProblem(new ServerOptions { AuditSpool = folder, AuditSpoolLimit = limit }), Is.EqualTo(problem));

    private static async Task<IReadOnlyList<AuditRow>> WaitForRowsAsync(StoreServices store, int count)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var rows = await store.Audit.TailAsync(count + 5, CancellationToken.None);
            if (rows.Count >= count || waited.Elapsed > DrainWithin)
            {
                return rows;
            }
            await Task.Delay(250);
        }
    }

    private static AuditSpool Spool(string folder, TimeProvider clock, int limit) => new(
        Options.Create(new ServerOptions { AuditSpool = folder, AuditSpoolLimit = limit }),
        clock,
        new ServerMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()),
        NullLogger<AuditSpool>.Instance);

    private static string NewFolder()
    {
        var folder = Path.Combine(RepositoryPaths.Root, ".tmp", "audit-spool", $"unit-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    // What an operator's scrape of ivr.audit.spool.rows reads.
    private sealed class SpoolGauge : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _rows;

        public SpoolGauge()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ServerMetrics.MeterName && instrument.Name == "ivr.audit.spool.rows")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, value, _, _) => _rows = value);
            _listener.Start();
        }

        public int Rows
        {
            get
            {
                _listener.RecordObservableInstruments();
                return _rows;
            }
        }

        /// <summary>Waits, a few seconds at most, until <paramref name="rows"/> rows wait in the spool.</summary>
        public async Task WaitForAsync(int rows)
        {
            for (var waited = System.Diagnostics.Stopwatch.StartNew(); Rows != rows && waited.Elapsed < TimeSpan.FromSeconds(10);)
            {
                await Task.Delay(20);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
