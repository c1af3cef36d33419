using System.Threading.Channels;
using Ivr.Domain;
using Npgsql;

namespace Ivr.Store;

/// <summary>
/// Puts the audit rows of calls that end close together into one statement, written by one writer: a row waits at
/// most <see cref="Window"/> for others to join it. One <c>INSERT</c> per call cost PostgreSQL 0.5–0.6 ms of CPU a
/// call at 700 calls a second, most of it spent by a hundred connections waiting on each other's inserts into the same
/// index pages (docs/benchmarks.md); a batch costs about what one row did. The row's call is over and its connection
/// closed by the time it is written, so the wait reaches no caller.
/// </summary>
/// <remarks>
/// Each row keeps its own answer: written, dropped as a second row for its call id, or the failure that stopped its
/// batch. A batch the schema refuses (SQLSTATE class 22 or 23: one bad row fails the statement) is written again row by
/// row, so only the bad row fails. Two rows for one call id never share a batch: the second waits for the next one, so
/// the first row written stands, as it does when they come apart.
/// </remarks>
internal sealed class AuditBatches : IAsyncDisposable
{
    /// <summary>How long a row waits for others to join its batch.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(10);

    /// <summary>The most rows in one statement.</summary>
    public const int MaxRows = 256;

    private readonly Channel<PendingRow> _rows = Channel.CreateUnbounded<PendingRow>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<CallRecord>, Task<IReadOnlySet<string>>> _insert;
    private readonly Lock _lock = new();
    private Task? _writer;

    /// <param name="insert">Writes rows of distinct call ids in one statement and returns the call ids it wrote.</param>
    public AuditBatches(Func<IReadOnlyList<CallRecord>, Task<IReadOnlySet<string>>> insert) => _insert = insert;

    /// <summary>
    /// Queues <paramref name="record"/> for the next batch; true once it is written, false when a row for its call id
    /// already was. <paramref name="cancellationToken"/> ends the wait (a row not yet sent is then left out).
    /// </summary>
    public Task<bool> WriteAsync(CallRecord record, CancellationToken cancellationToken)
    {
        var row = new PendingRow(record, cancellationToken);
        if (!_rows.Writer.TryWrite(row))
        {
            throw new ObjectDisposedException(nameof(AuditBatches), "the audit log is closed");
        }
        EnsureWriting();
        return row.Task.WaitAsync(cancellationToken);
    }

    private void EnsureWriting()
    {
        if (_writer is not null)
        {
            return;
        }
        lock (_lock)
        {
            _writer ??= Task.Run(WriteBatchesAsync);
        }
    }

    private async Task WriteBatchesAsync()
    {
        var reader = _rows.Reader;
        var batch = new List<PendingRow>(MaxRows);
        var callIds = new HashSet<string>(StringComparer.Ordinal);
        PendingRow? next = null;
        while (next is not null || await reader.WaitToReadAsync())
        {
            // Real time, whatever clock the store runs on: the window is how batches form, not a rule of the domain.
            await Task.Delay(Window, TimeProvider.System);
            batch.Clear();
            callIds.Clear();
            if (next is not null)
            {
                batch.Add(next);
                callIds.Add(next.Record.CallId);
                next = null;
            }
            while (batch.Count < MaxRows && reader.TryRead(out var row))
            {
                if (row.IsAbandoned)
                {
                    continue; // its call stopped waiting for it (and kept it elsewhere)
                }
                if (!callIds.Add(row.Record.CallId))
                {
                    next = row;
                    break;
                }
                batch.Add(row);
            }
            if (batch.Count > 0)
            {
                await WriteAsync(batch);
            }
        }
    }

    private async Task WriteAsync(List<PendingRow> batch)
    {
        try
        {
            var written = await _insert(batch.ConvertAll(row => row.Record));
            foreach (var row in batch)
            {
                row.TrySetResult(written.Contains(row.Record.CallId));
            }
        }
        catch (CallFailureException e) when (batch.Count > 1 && e.InnerException is PostgresException { SqlState: ['2', '2' or '3', ..] })
        {
            foreach (var row in batch)
            {
                await WriteAloneAsync(row);
            }
        }
        catch (Exception e)
        {
            foreach (var row in batch)
            {
                row.TrySetException(e);
            }
        }
    }

    private async Task WriteAloneAsync(PendingRow row)
    {
        try
        {
            row.TrySetResult((await _insert([row.Record])).Count > 0);
        }
        catch (Exception e)
        {
            row.TrySetException(e);
        }
    }

    /// <summary>Writes the rows already queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _rows.Writer.TryComplete();
        if (_writer is { } writer)
        {
            await writer;
        }
    }

    private sealed class PendingRow(CallRecord record, CancellationToken cancellationToken)
        : TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public CallRecord Record { get; } = record;

        public bool IsAbandoned => cancellationToken.IsCancellationRequested;
    }
}
