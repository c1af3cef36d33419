using Ivr.Testing;
using Npgsql;

namespace Ivr.Store.Tests.Audit;

/// <summary>
/// Migration 0005: ANALYZE of <c>call_trace</c> keeps no statistics of the documents and a small sample of the keys,
/// and the reads of the table still go by its indexes.
/// </summary>
public sealed class CallTraceStatisticsTests
{
    private const int Traces = 5000;

    private PostgresTestDatabase _database = null!;

    [OneTimeSetUp]
    public async Task CreateTracesAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        await using var insert = _database.DataSource.CreateCommand($$"""
            INSERT INTO call_audit (call_id, started_at, ended_at, outcome, step_reached)
            SELECT 'call-' || i, now() - i * interval '1 minute', now(), 'completed', 'committing' FROM generate_series(1, {{Traces}}) AS i;
            INSERT INTO call_trace (call_id, started_at, trace)
            SELECT call_id, started_at, '{"events": [{"kind": "played", "prompt": "temp-password/select-unit"}]}' FROM call_audit;
            """);
        await insert.ExecuteNonQueryAsync();
    }

    [OneTimeTearDown]
    public async Task DropDatabaseAsync() => await _database.DisposeAsync();

    [Test]
    public async Task Analyze_samples_3000_traces_not_30000()
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        var notices = new List<string>();
        connection.Notice += (_, e) => notices.Add(e.Notice.MessageText);
        await using var analyze = new NpgsqlCommand("ANALYZE VERBOSE call_trace", connection);

        await analyze.ExecuteNonQueryAsync();

        Assert.That(notices, Has.Some.Contains($"containing {Traces} live rows and 0 dead rows; 3000 rows in sample"), string.Join("\n", notices));
    }

    [Test]
    public async Task A_trace_is_found_by_its_primary_key_and_old_ones_by_the_started_at_index()
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using (var analyze = new NpgsqlCommand("ANALYZE call_trace", connection))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        // The shapes of AuditLog's reads: one call's trace, and the clean-up's oldest batch.
        var find = await PlanAsync(connection, "SELECT trace::text FROM call_trace WHERE call_id = 'call-42'");
        var cleanup = await PlanAsync(connection, "SELECT call_id FROM call_trace WHERE started_at < now() - interval '4000 minutes' ORDER BY started_at LIMIT 5000");

        Assert.That(find, Does.Contain("Index Scan using call_trace_pkey"), find);
        Assert.That(cleanup, Does.Contain("Index Scan using call_trace_started_at"), cleanup);
    }

    private static async Task<string> PlanAsync(NpgsqlConnection connection, string query)
    {
        await using var explain = new NpgsqlCommand($"EXPLAIN {query}", connection);
        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return string.Join("\n", lines);
    }
}
