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
    // Rows waiting together go in one statement (and one commit), in the order they were queued.
    private const string InsertSql = """
        INSERT INTO call_audit (call_id, started_at, ended_at, caller_number, unit, target_number, outcome, step_reached)
        SELECT call_id, started_at, ended_at, caller_number, unit, target_number, outcome, step_reached
        FROM unnest(@CallIds::text[], @StartedAts::timestamptz[], @EndedAts::timestamptz[], @CallerNumbers::text[],
                    @Units::text[], @TargetNumbers::text[], @Outcomes::text[], @StepsReached::text[])
             WITH ORDINALITY AS row (call_id, started_at, ended_at, caller_number, unit, target_number, outcome, step_reached, position)
        ORDER BY position
        ON CONFLICT (call_id) DO NOTHING
        RETURNING call_id
        """;

    // A few statements at once, so that one slow statement (a busy database) does not hold every other call's row.
    private const int MaxStatements = 4;
    private readonly Lock _queueLock = new();
    private List<PendingRow> _queue = [];
    private int _statements;

    /// <summary>
    /// Writes the call's row. Calls ending together share a statement and its commit (a group commit): each call
    /// still waits for its own row, but the database sees one round trip for many of them, not one each.
    /// </summary>
    public async Task WriteAsync(CallRecord record, CancellationToken cancellationToken)
    {
        var row = new PendingRow(record, timeProvider.GetUtcNow());
        bool drain;
        lock (_queueLock)
        {
            _queue.Add(row);
            drain = _statements < MaxStatements;
            _statements += drain ? 1 : 0;
        }
        if (drain)
        {
            // Not on this call's token: the rows of other calls ride on the same statement.
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }
        if (!await row.Written.Task.WaitAsync(cancellationToken))
        {
            Log.DuplicateAuditRow(_logger, record.CallId, record.Outcome);
        }
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<PendingRow> batch;
            lock (_queueLock)
            {
                batch = _queue;
                if (batch.Count == 0)
                {
                    _statements--;
                    return;
                }
                _queue = [];
            }
            try
            {
                await InsertAsync(batch);
            }
            catch (PostgresException) when (batch.Count > 1)
            {
                // One bad row (a constraint) must not cost the others theirs: each alone, with its own error.
                foreach (var row in batch)
                {
                    try
                    {
                        await InsertAsync([row]);
                    }
                    catch (Exception e)
                    {
                        row.Written.TrySetException(e);
                    }
                }
            }
            catch (Exception e)
            {
                batch.ForEach(row => row.Written.TrySetException(e));
            }
        }
    }

    private async Task InsertAsync(List<PendingRow> batch)
    {
        // A call id twice in one batch: the first stands, as if it had been written first.
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var first = batch.Where(row => ids.Add(row.Record.CallId)).ToList();
        await using var connection = await dataSource.OpenConnectionAsync();
        var inserted = (await connection.QueryAsync<string>(new CommandDefinition(InsertSql, new
        {
            CallIds = first.Select(row => row.Record.CallId).ToArray(),
            StartedAts = first.Select(row => row.Record.StartedAt.ToUniversalTime()).ToArray(),
            EndedAts = first.Select(row => row.EndedAt).ToArray(),
            CallerNumbers = first.Select(row => row.Record.CallerNumber).ToArray(),
            Units = first.Select(row => row.Record.Unit?.ToName()).ToArray(),
            TargetNumbers = first.Select(row => row.Record.TargetNumber).ToArray(),
            Outcomes = first.Select(row => row.Record.Outcome.ToName()).ToArray(),
            StepsReached = first.Select(row => row.Record.StepReached).ToArray(),
        }))).ToHashSet(StringComparer.Ordinal);
        foreach (var row in batch)
        {
            // Remove, so that a later row with the same id (not in `first`) is reported as the duplicate it is.
            row.Written.TrySetResult(inserted.Remove(row.Record.CallId));
        }
    }

    private sealed class PendingRow(CallRecord record, DateTimeOffset endedAt)
    {
        public CallRecord Record { get; } = record;

        public DateTimeOffset EndedAt { get; } = endedAt;

        /// <summary>True when the row was written, false when the call id already had one.</summary>
        public TaskCompletionSource<bool> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
