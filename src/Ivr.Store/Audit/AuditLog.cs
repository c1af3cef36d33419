using System.Diagnostics;
using Dapper;
using Ivr.Domain;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ivr.Store;

/// <summary>The call audit trail: one row per call, whatever its outcome (SPEC §4).</summary>
public sealed class AuditLog : IAuditLog, IAsyncDisposable, IDisposable
{
    /// <summary>The most rows written in one statement: a larger set goes in several, in order.</summary>
    public const int MaxBatchRows = AuditBatches.MaxRows;

    private readonly NpgsqlDataSource _dataSource;
    private readonly DatabaseSteps _steps;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AuditBatches _batches;
    private readonly TraceBatches _traceBatches;
    private TraceBatchJson _traces = new();

    public AuditLog(NpgsqlDataSource dataSource, DatabaseSteps steps, TimeProvider time, ILogger<AuditLog> logger)
    {
        _dataSource = dataSource;
        _steps = steps;
        _time = time;
        _logger = logger;
        _batches = new AuditBatches(InsertAsync);
        _traceBatches = new TraceBatches(InsertTracesAsync, logger);
    }

    // The first row of a call id stands: an audit row is never rewritten, not even by a peer that replays
    // another call's agi_uniqueid. A second write is logged (DuplicateAuditRow) and dropped, never an error for the call.
    // Rows keep the batch's order, so `seq` keeps the order they were written in.
    private const string InsertSql = """
        INSERT INTO call_audit (call_id, started_at, ended_at, caller_number, unit, target_number, outcome, step_reached, reason)
        SELECT call_id, started_at, ended_at, caller_number, unit, target_number, outcome, step_reached, reason
        FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
            WITH ORDINALITY AS b (call_id, started_at, ended_at, caller_number, unit, target_number, outcome, step_reached, reason, n)
        ORDER BY n
        ON CONFLICT (call_id) DO NOTHING
        RETURNING call_id
        """;

    // A trace goes in only once its row is written (TraceBatches): a dropped duplicate row brings no trace either. The
    // traces arrive as one UTF-8 JSON array, an element per row: written straight from the events into a buffer the
    // trace writer keeps, where an array of JSON strings needed a UTF-16 string a call, the largest allocation a call
    // made (docs/benchmarks.md).
    private const string InsertTracesSql = """
        INSERT INTO call_trace (call_id, started_at, trace)
        SELECT b.call_id, b.started_at, t.trace
        FROM unnest($1::text[], $2::timestamptz[]) WITH ORDINALITY AS b (call_id, started_at, n)
        JOIN jsonb_array_elements(convert_from($3, 'UTF8')::jsonb) WITH ORDINALITY AS t (trace, n) USING (n)
        """;

    /// <summary>
    /// Writes the call's row, with the rows of calls ending about now (<see cref="AuditBatches"/>); a second row for a
    /// call id is logged and dropped. A database failure is a <see cref="CallFailureException"/>, as for every step.
    /// </summary>
    public async Task WriteAsync(CallRecord record, CancellationToken cancellationToken)
    {
        if (!await _batches.WriteAsync(record, cancellationToken))
        {
            Log.DuplicateAuditRow(_logger, record.CallId, record.Outcome);
        }
    }

    // A batch is one step under the store's fault rules: its deadline, one retry on a dead pooled connection.
    private async Task<IReadOnlySet<string>> InsertAsync(IReadOnlyList<CallRecord> rows)
    {
        var written = await _steps.RunAsync("audit", async token =>
        {
            await using var command = _dataSource.CreateCommand(InsertSql);
            command.Parameters.Add(Column(rows, row => row.CallId));
            command.Parameters.Add(Column(rows, row => row.StartedAt.ToUniversalTime()));
            command.Parameters.Add(Column(rows, row => row.EndedAt.ToUniversalTime()));
            command.Parameters.Add(Column(rows, row => row.CallerNumber));
            command.Parameters.Add(Column(rows, row => row.Unit?.ToName()));
            command.Parameters.Add(Column(rows, row => row.TargetNumber));
            command.Parameters.Add(Column(rows, row => row.Outcome.ToName()));
            command.Parameters.Add(Column(rows, row => row.StepReached));
            command.Parameters.Add(Column(rows, row => row.Reason));
            var written = new HashSet<string>(rows.Count, StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                written.Add(reader.GetString(0));
            }
            return (IReadOnlySet<string>)written;
        }, CancellationToken.None);
        foreach (var row in rows)
        {
            if (row.Trace is not null && written.Contains(row.CallId))
            {
                _traceBatches.Add(row);
            }
        }
        return written;
    }

    // Only TraceBatches' one writer calls this, one batch at a time, so the traces' buffer is the writer's alone. But
    // DatabaseSteps gives up on a statement at its deadline without waiting for it to end, so the buffer it was given
    // stays that statement's: after a failed batch, the next one takes a new buffer.
    private async Task InsertTracesAsync(IReadOnlyList<CallRecord> rows)
    {
        try
        {
            await _steps.RunAsync("trace", async token =>
            {
                await using var command = _dataSource.CreateCommand(InsertTracesSql);
                command.Parameters.Add(Column(rows, row => row.CallId));
                command.Parameters.Add(Column(rows, row => row.StartedAt.ToUniversalTime()));
                command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = _traces.Write(rows) });
                return await command.ExecuteNonQueryAsync(token);
            }, CancellationToken.None);
        }
        catch
        {
            _traces = new TraceBatchJson();
            throw;
        }
    }

    private static NpgsqlParameter<T[]> Column<T>(IReadOnlyList<CallRecord> rows, Func<CallRecord, T> value)
    {
        var column = new T[rows.Count];
        for (var i = 0; i < column.Length; i++)
        {
            column[i] = value(rows[i]);
        }
        return new NpgsqlParameter<T[]> { TypedValue = column };
    }

    /// <summary>Writes the rows still waiting for their batch, then their traces.</summary>
    public async ValueTask DisposeAsync()
    {
        await _batches.DisposeAsync();
        await _traceBatches.DisposeAsync();
    }

    // A container disposed without await still gets the waiting rows written.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

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
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
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
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredRow>(new CommandDefinition(TailSql, new { Count = count }, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToAuditRow()).ToList();
    }

    private const string FindTraceSql = "SELECT trace::text FROM call_trace WHERE call_id = @CallId";

    /// <summary>The call's trace, or null when none was written or it is past its retention.</summary>
    public async Task<CallTrace?> FindTraceAsync(string callId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(FindTraceSql, new { CallId = callId }, cancellationToken: cancellationToken));
        return json is null ? null : TraceJson.Read(json);
    }

    /// <summary>How long after its call ends a trace may still be on its way (<see cref="TraceBatches.Window"/>, and room).</summary>
    public static readonly TimeSpan TraceDelay = 5 * TraceBatches.Window;

    /// <summary>
    /// The trace of the call <paramref name="row"/> records, or null when none was written or it is past its retention.
    /// A trace follows its row by up to a second: for a call that ended less than <see cref="TraceDelay"/> ago, this
    /// waits for it that long, so that an operator who asks right after a call gets its trace.
    /// </summary>
    public async Task<CallTrace?> FindTraceAsync(AuditRow row, CancellationToken cancellationToken)
    {
        // Measured on real time too: a clock that stands still (a test's) must not make this wait for ever.
        var wait = row.EndedAt + TraceDelay - _time.GetUtcNow();
        var waiting = Stopwatch.StartNew();
        while (true)
        {
            if (await FindTraceAsync(row.CallId, cancellationToken) is { } trace)
            {
                return trace;
            }
            if (waiting.Elapsed >= wait || waiting.Elapsed >= TraceDelay)
            {
                return null;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, cancellationToken);
        }
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
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
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
