using System.Text.Json;
using Ivr.Domain;
using Ivr.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ivr.Server.Audit;

/// <summary>
/// Writes the rows waiting in the <see cref="AuditSpool"/> to the database, oldest first, at the server's start (rows
/// an earlier run left) and every <see cref="RetryPeriod"/>. A pass stops at the first row the database cannot take
/// now, so rows stay in order; <c>call_audit</c>'s <c>ON CONFLICT (call_id) DO NOTHING</c> makes a row written twice
/// (the process died between the insert and the file's removal) count once.
/// </summary>
public sealed class AuditSpoolDrain(AuditSpool spool, AuditLog database, TimeProvider time, ILogger<AuditSpoolDrain> logger) : BackgroundService
{
    /// <summary>How often waiting rows are tried again: an outage's rows reach the database within this of its return.</summary>
    public static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(5);

    // The rows of a chunk fail together: the outage is logged once. 1 while it is.
    private int _outageLogged;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (spool.Count > 0)
        {
            Log.AuditSpoolFoundAtStart(logger, spool.Count, spool.Folder);
        }
        using var timer = new PeriodicTimer(RetryPeriod, time);
        try
        {
            do
            {
                await DrainAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what still waits stays on disk for the next start.
        }
    }

    /// <summary>One pass: writes waiting rows in order until none is left or the database fails; returns how many it wrote.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        try
        {
            // A chunk of rows is handed to the audit log at once, in order, so it goes in one batch: an outage's rows
            // are written at the database's pace, not one batch window each.
            foreach (var chunk in (spool.Count > 0 ? spool.Waiting() : []).Chunk(AuditLog.MaxBatchRows))
            {
                var taken = await Task.WhenAll(chunk.Select(file => WriteAsync(file, cancellationToken)));
                written += taken.Count(row => row == Taken.Written);
                if (taken.Contains(Taken.NotNow))
                {
                    return written;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.AuditSpoolUnusable(logger, spool.Folder, e);
            return written;
        }
        if (written > 0 || _outageLogged != 0)
        {
            Log.AuditSpoolDrained(logger, written, spool.Count);
        }
        _outageLogged = 0;
        return written;
    }

    private enum Taken { Written, SetAside, NotNow }

    // NotNow when the database cannot take rows now; a row that can never be written is set aside and the pass goes on.
    private async Task<Taken> WriteAsync(string file, CancellationToken cancellationToken)
    {
        CallRecord record;
        try
        {
            record = AuditSpool.Read(file);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            Log.AuditRowRejected(logger, spool.Reject(file), e);
            return Taken.SetAside;
        }
        try
        {
            await database.WriteAsync(record, cancellationToken);
        }
        catch (CallFailureException e) when (IsRefusedByTheSchema(e))
        {
            Log.AuditRowRejected(logger, spool.Reject(file), e);
            return Taken.SetAside;
        }
        catch (CallFailureException e)
        {
            if (Interlocked.Exchange(ref _outageLogged, 1) == 0)
            {
                Log.AuditSpoolWaiting(logger, spool.Count, e.Cause.ToName(), RetryPeriod);
            }
            return Taken.NotNow;
        }
        spool.Remove(file);
        return Taken.Written;
    }

    // SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): this row, not the database, is the problem.
    private static bool IsRefusedByTheSchema(CallFailureException e) =>
        e.InnerException is PostgresException { SqlState: ['2', '2' or '3', ..] };
}
