using System.Threading.Channels;
using Ivr.Domain;
using Microsoft.Extensions.Logging;

namespace Ivr.Store;

/// <summary>
/// Writes the traces of audit rows already written, in statements of their own, one every <see cref="Window"/>. In
/// the audit rows' statement, a hundred times a second, the trace made the load client's own timers late enough to
/// cost the turnaround target; written apart, a second's traces at once, it costs a fraction of that, and PostgreSQL
/// the least CPU of the ways measured (docs/benchmarks.md, 2026-12-04 from 20:39 UTC).
/// </summary>
/// <remarks>
/// A trace is for diagnosis: one that cannot be written is logged with its cause and dropped, and never costs its
/// audit row. A trace follows its row by up to <see cref="Window"/>; closing writes the waiting ones at once.
/// </remarks>
internal sealed class TraceBatches : IAsyncDisposable
{
    /// <summary>How long a trace waits for others to join its statement.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>The most traces in one statement: a second's at the held load of docs/benchmarks.md, with room.</summary>
    public const int MaxRows = 2048;

    private readonly Channel<CallRecord> _traces = Channel.CreateUnbounded<CallRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closing = new();
    private readonly Func<IReadOnlyList<CallRecord>, Task> _insert;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Task _writer;
    private Task? _closed;

    /// <param name="insert">Writes the traces of rows already written, in one statement.</param>
    public TraceBatches(Func<IReadOnlyList<CallRecord>, Task> insert, ILogger logger)
    {
        _insert = insert;
        _logger = logger;
        // Waiting for the first trace holds no thread, so the writer starts with the log.
        _writer = WriteBatchesAsync();
    }

    /// <summary>Queues the trace of <paramref name="record"/>, whose audit row is written.</summary>
    public void Add(CallRecord record)
    {
        // The audit rows' writer stops before this closes, so a refused trace comes only from a row written after
        // closing began: there is no statement left to take it.
        _traces.Writer.TryWrite(record);
    }

    private async Task WriteBatchesAsync()
    {
        var reader = _traces.Reader;
        var batch = new List<CallRecord>(MaxRows);
        while (await reader.WaitToReadAsync())
        {
            // Real time, whatever clock the store runs on; closing ends the wait, or skips it once closing has begun.
            await Task.Delay(Window, TimeProvider.System, _closing.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            do
            {
                batch.Clear();
                while (batch.Count < MaxRows && reader.TryRead(out var record))
                {
                    batch.Add(record);
                }
                if (batch.Count > 0)
                {
                    await WriteAsync(batch);
                }
            }
            while (batch.Count == MaxRows);
        }
    }

    private async Task WriteAsync(List<CallRecord> batch)
    {
        try
        {
            await _insert(batch);
        }
        catch (Exception e)
        {
            Log.TracesNotWritten(_logger, batch.Count, e is CallFailureException failure ? failure.Cause.ToName() : e.GetType().Name, e);
        }
    }

    /// <summary>Writes the traces already queued, at once, then stops; a second call waits for the same.</summary>
    public ValueTask DisposeAsync()
    {
        // The container disposes the audit log once for each service it is registered as.
        lock (_lock)
        {
            _closed ??= CloseAsync();
        }
        return new ValueTask(_closed);
    }

    private async Task CloseAsync()
    {
        _traces.Writer.TryComplete();
        await _closing.CancelAsync();
        await _writer;
        _closing.Dispose();
    }
}
