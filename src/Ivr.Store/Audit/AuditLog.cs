using Dapper;
using Ivr.CallFlow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ivr.Store;

/// <summary>The call audit trail: one row per call, whatever its outcome (SPEC §4).</summary>
public sealed class AuditLog(NpgsqlDataSource dataSource, TimeProvider timeProvider, ILogger<AuditLog>? logger = null) : IAuditLog
{
    private readonly ILogger _logger = logger ?? NullLogger<AuditLog>.Instance;

    // The first row of a call id stands: an audit row is never rewritten, not even by a peer that replays
    // another call's agi_uniqueid. A second write is logged and dropped, never an error for the call.
    private const string InsertSql = """
        INSERT INTO call_audit (call_id, started_at, ended_at, caller_number, unit, target_number, outcome, step_reached)
        VALUES (@CallId, @StartedAt, @EndedAt, @CallerNumber, @Unit, @TargetNumber, @Outcome, @StepReached)
        ON CONFLICT (call_id) DO NOTHING
        """;

    public async Task WriteAsync(CallRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var written = await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            record.CallId,
            StartedAt = record.StartedAt.ToUniversalTime(),
            EndedAt = timeProvider.GetUtcNow(),
            record.CallerNumber,
            Unit = record.Unit?.ToName(),
            record.TargetNumber,
            Outcome = record.Outcome.ToName(),
            record.StepReached,
        }, cancellationToken: cancellationToken));
        if (written == 0)
        {
            Log.DuplicateAuditRow(_logger, record.CallId, record.Outcome);
        }
    }

    private const string FindSql = """
        SELECT call_id AS CallId, started_at AS StartedAt, ended_at AS EndedAt, caller_number AS CallerNumber, unit AS Unit,
               target_number AS TargetNumber, outcome AS Outcome, step_reached AS StepReached
        FROM call_audit
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
        SELECT CallId, StartedAt, EndedAt, CallerNumber, Unit, TargetNumber, Outcome, StepReached
        FROM (
            SELECT seq, call_id AS CallId, started_at AS StartedAt, ended_at AS EndedAt, caller_number AS CallerNumber, unit AS Unit,
                   target_number AS TargetNumber, outcome AS Outcome, step_reached AS StepReached
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

    // Dapper maps the columns by name onto the record's constructor; timestamptz arrives as a UTC DateTime.
    private sealed record StoredRow(
        string CallId, DateTime StartedAt, DateTime EndedAt, string? CallerNumber, string? Unit, string? TargetNumber, string Outcome, string StepReached)
    {
        // The schema's CHECKs admit only the words these parse.
        public AuditRow ToAuditRow() => new(
            CallId,
            Timestamps.FromDatabase(StartedAt),
            Timestamps.FromDatabase(EndedAt),
            CallerNumber,
            SettingUnitNames.TryParse(Unit, out var unit) ? unit : null,
            TargetNumber,
            CallOutcomeNames.TryParse(Outcome, out var outcome) ? outcome : throw new InvalidOperationException($"audit row {CallId} has outcome '{Outcome}'"),
            StepReached);
    }
}
