using Dapper;
using Ivr.CallFlow;
using Npgsql;

namespace Ivr.Store;

/// <summary>The audit trail: one row per call (SPEC §4). A call id seen twice (two Asterisk nodes, a replayed id) gets two rows, never a lost one.</summary>
public sealed class AuditLog(NpgsqlDataSource dataSource, TimeProvider time) : IAuditLog
{
    private const string InsertSql = """
        INSERT INTO call_audit (call_id, started_at, ended_at, caller_number, unit, target_number, outcome, step_reached)
        VALUES (@CallId, @StartedAt, @endedAt, @CallerNumber, @unit, @TargetNumber, @outcome, @StepReached)
        """;

    public async Task WriteAsync(CallRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            record.CallId,
            record.StartedAt,
            endedAt = time.GetUtcNow(),
            record.CallerNumber,
            unit = record.Unit?.ToName(),
            record.TargetNumber,
            outcome = record.Outcome.ToName(),
            record.StepReached,
        }, cancellationToken: cancellationToken));
    }

    private const string Columns = """
        call_id AS CallId, started_at AS StartedAt, ended_at AS EndedAt, caller_number AS CallerNumber, unit AS Unit,
        target_number AS TargetNumber, outcome AS Outcome, step_reached AS StepReached
        """;

    private const string FindSql = $"SELECT {Columns} FROM call_audit WHERE call_id = @callId ORDER BY id";

    /// <summary>The rows of one call (normally one).</summary>
    public Task<IReadOnlyList<AuditRow>> FindAsync(string callId, CancellationToken cancellationToken) =>
        QueryAsync(FindSql, new { callId }, cancellationToken);

    private const string TailSql = $"SELECT * FROM (SELECT id, {Columns} FROM call_audit ORDER BY id DESC LIMIT @count) newest ORDER BY id";

    /// <summary>The newest <paramref name="count"/> rows, oldest first.</summary>
    public Task<IReadOnlyList<AuditRow>> TailAsync(int count, CancellationToken cancellationToken) =>
        QueryAsync(TailSql, new { count }, cancellationToken);

    private async Task<IReadOnlyList<AuditRow>> QueryAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return rows.Select(row => new AuditRow(
            row.CallId, CredentialRow.Utc(row.StartedAt)!.Value, CredentialRow.Utc(row.EndedAt)!.Value,
            row.CallerNumber, row.Unit, row.TargetNumber, row.Outcome, row.StepReached)).ToList();
    }

    private sealed class Row
    {
        public string CallId { get; init; } = "";
        public DateTime StartedAt { get; init; }
        public DateTime EndedAt { get; init; }
        public string? CallerNumber { get; init; }
        public string? Unit { get; init; }
        public string? TargetNumber { get; init; }
        public string Outcome { get; init; } = "";
        public string StepReached { get; init; } = "";
    }
}
