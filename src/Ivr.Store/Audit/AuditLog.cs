using Dapper;
using Ivr.Domain;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ivr.Store;

/// <summary>The call audit trail: one row per call, whatever its outcome (SPEC §4).</summary>
public sealed class AuditLog(NpgsqlDataSource dataSource, DatabaseSteps steps, ILogger<AuditLog> logger) : IAuditLog
{
    // The first row of a call id stands: an audit row is never rewritten, not even by a peer that replays
    // another call's agi_uniqueid. A second write is logged (DuplicateAuditRow) and dropped, never an error for the call.
    // The trace goes in with the row, in the same statement (so the same transaction and one round trip), and only
    // when the row itself was written: a dropped duplicate brings no trace either.
    private const string InsertSql = """
        WITH audit AS (
            INSERT INTO call_audit (call_id, started_at, ended_at, caller_number, unit, target_number, outcome, step_reached, reason)
            VALUES (@CallId, @StartedAt, @EndedAt, @CallerNumber, @Unit, @TargetNumber, @Outcome, @StepReached, @Reason)
            ON CONFLICT (call_id) DO NOTHING
            RETURNING call_id, started_at),
        trace AS (
            INSERT INTO call_trace (call_id, started_at, trace)
            SELECT call_id, started_at, @Trace::jsonb FROM audit WHERE @Trace::jsonb IS NOT NULL)
        SELECT count(*)::int FROM audit
        """;

    public Task WriteAsync(CallRecord record, CancellationToken cancellationToken) =>
        steps.RunAsync("audit", token => InsertAsync(record, token), cancellationToken);

    private async Task<bool> InsertAsync(CallRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var written = await connection.ExecuteScalarAsync<int>(new CommandDefinition(InsertSql, new
        {
            record.CallId,
            StartedAt = record.StartedAt.ToUniversalTime(),
            EndedAt = record.EndedAt.ToUniversalTime(),
            record.CallerNumber,
            Unit = record.Unit?.ToName(),
            record.TargetNumber,
            Outcome = record.Outcome.ToName(),
            record.StepReached,
            record.Reason,
            Trace = TraceJson.Write(record.Trace),
        }, cancellationToken: cancellationToken));
        if (written == 0)
        {
            Log.DuplicateAuditRow(logger, record.CallId, record.Outcome);
        }
        return written > 0;
    }

    private const string FindSql = """
        SELECT call_id AS CallId, started_at AS StartedAt, ended_at AS EndedAt, caller_number AS CallerNumber, unit AS Unit,
               target_number AS TargetNumber, outcome AS Outcome, step_reached AS StepReached, reason AS Reason,
               EXISTS (SELECT FROM call_trace t WHERE t.call_id = a.call_id) AS HasTrace
        FROM call_audit a
        WHERE call_id = @CallId
        """;

    /// <summary>The call's row, or null when there is none.</summary>
    public async Task<AuditRow?> FindAsync(string callId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StoredRow>(new CommandDefinition(FindSql, new { CallId = callId }, cancellationToken: cancellationToken));
        return row?.ToAuditRow();
    }

    private const string TailSql = """
        SELECT CallId, StartedAt, EndedAt, CallerNumber, Unit, TargetNumber, Outcome, StepReached, Reason,
               EXISTS (SELECT FROM call_trace t WHERE t.call_id = newest.CallId) AS HasTrace
        FROM (
            SELECT seq, call_id AS CallId, started_at AS StartedAt, ended_at AS EndedAt, caller_number AS CallerNumber, unit AS Unit,
                   target_number AS TargetNumber, outcome AS Outcome, step_reached AS StepReached, reason AS Reason
            FROM call_audit
            ORDER BY seq DESC
            LIMIT @Count) AS newest
        ORDER BY seq
        """;

    /// <summary>The last <paramref name="count"/> rows written, newest last.</summary>
    public async Task<IReadOnlyList<AuditRow>> TailAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredRow>(new CommandDefinition(TailSql, new { Count = count }, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToAuditRow()).ToList();
    }

    private const string FindTraceSql = "SELECT trace::text FROM call_trace WHERE call_id = @CallId";

    /// <summary>The call's trace, or null when none was written or it is past its retention.</summary>
    public async Task<CallTrace?> FindTraceAsync(string callId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(FindTraceSql, new { CallId = callId }, cancellationToken: cancellationToken));
        return json is null ? null : TraceJson.Read(json);
    }

    // In batches, so that a clean-up after a long pause never holds one huge delete's locks and WAL at once.
    private const string DeleteTracesSql = """
        DELETE FROM call_trace
        WHERE call_id IN (SELECT call_id FROM call_trace WHERE started_at < @Before ORDER BY started_at LIMIT @Batch)
        """;

    private const int DeleteBatch = 5000;

    /// <summary>Deletes the traces of calls started before <paramref name="before"/> (their audit rows stay); returns how many.</summary>
    public async Task<int> DeleteTracesStartedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = 0;
        int deleted;
        do
        {
            deleted = await connection.ExecuteAsync(new CommandDefinition(DeleteTracesSql, new { Before = before.ToUniversalTime(), Batch = DeleteBatch }, cancellationToken: cancellationToken));
            total += deleted;
        }
        while (deleted == DeleteBatch);
        return total;
    }

    // Dapper maps the columns by name onto the record's constructor; timestamptz arrives as a UTC DateTime.
    private sealed record StoredRow(
        string CallId, DateTime StartedAt, DateTime EndedAt, string? CallerNumber, string? Unit, string? TargetNumber, string Outcome, string StepReached, string? Reason,
        bool HasTrace)
    {
        // The schema's CHECKs admit only the words these parse.
        public AuditRow ToAuditRow() => new(
            CallId,
            Timestamps.FromDatabase(StartedAt),
            Timestamps.FromDatabase(EndedAt),
            CallerNumber,
            DomainWords.TryParse(Unit, out SettingUnit unit) ? unit : null,
            TargetNumber,
            DomainWords.TryParse(Outcome, out CallOutcome outcome) ? outcome : throw new InvalidOperationException($"audit row {CallId} has outcome '{Outcome}'"),
            StepReached,
            Reason,
            HasTrace);
    }
}
