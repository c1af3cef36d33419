using Ivr.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ivr.Store;

/// <summary>
/// Runs one database step of a call under the store's fault rules (issue 14, docs/operations.md): a deadline of its
/// own (<see cref="StoreOptions.StepDeadline"/>), one retry when the connection the pool handed out was already
/// dead (a PostgreSQL restart leaves such connections behind, and the first command on one fails at once), and
/// every failure turned into a <see cref="CallFailureException"/> that names its cause, so the caller hears
/// <c>system-error</c> within the deadline instead of waiting for the driver's 15–30 s.
/// </summary>
public sealed class DatabaseSteps(
    NpgsqlDataSource dataSource, IOptions<StoreOptions> options, TimeProvider time, StoreMetrics metrics, ILogger<DatabaseSteps> logger)
{
    private readonly TimeSpan _deadline = options.Value.StepDeadline;

    /// <summary>
    /// Runs <paramref name="work"/> for <paramref name="step"/>; <paramref name="cancellationToken"/> is the call's own
    /// token, whose cancellation passes through unchanged. How long the step took, failed or not, is a metric
    /// (<c>ivr.db.step.duration</c>): every caller's first prompt waits for the caller check.
    /// </summary>
    public async Task<T> RunAsync<T>(string step, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        // One source for the step: its deadline, on the store's clock, and the call's own token.
        using var linked = new CancellationTokenSource(_deadline, time);
        using var call = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), linked);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var running = work(linked.Token);
                try
                {
                    // The deadline is kept here, not left to the driver: with the server frozen, a cancelled commit did
                    // not come back for 30 s and more (DatabaseFaultTests, before this wait): Npgsql's cancel request and
                    // the transaction's ROLLBACK on dispose go unanswered. The abandoned work keeps its cancelled token
                    // and ends on its own.
                    try
                    {
                        return await running.WaitAsync(linked.Token);
                    }
                    finally
                    {
                        if (!running.IsCompleted)
                        {
                            ObserveFailure(running);
                        }
                    }
                }
                catch (Exception e) when (attempt == 1 && IsDeadConnection(e) && !linked.IsCancellationRequested)
                {
                    // Nothing was done on a connection that was dead before the step began: the step is safe to run again
                    // (the commit too: its transaction never reached COMMIT, and its upsert is idempotent).
                    Log.DeadConnectionRetried(logger, step, e is PostgresException pg ? pg.SqlState : $"{e.GetType().Name}: {e.InnerException?.GetType().Name}");
                    dataSource.Clear(); // its idle siblings died with it
                }
                catch (OperationCanceledException e) when (linked.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    metrics.DatabaseError(step, "timeout");
                    Log.DatabaseStepFailed(logger, step, "timeout", e);
                    throw new CallFailureException(SystemErrorCause.DatabaseTimeout, $"{step}: no answer from the database within {_deadline}", e);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
                {
                    var errorType = e is PostgresException pg ? pg.SqlState : e.GetType().Name;
                    metrics.DatabaseError(step, errorType);
                    Log.DatabaseStepFailed(logger, step, errorType, e);
                    throw new CallFailureException(SystemErrorCause.DatabaseUnavailable, $"{step}: the database failed ({errorType})", e);
                }
            }
        }
        finally
        {
            metrics.DatabaseStepEnded(step, time.GetElapsedTime(started));
        }
    }

    // Work left behind at the deadline or the caller's hang-up fails later, unobserved: the step's failure was reported.
    private static void ObserveFailure(Task running) =>
        running.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    // A connection the server ended, or whose socket was closed under it. A PostgreSQL restart ends every session with
    // 57P01 (admin shutdown; 57P02 after a crash, 57P03 while starting): PostgreSQL writes it to each idle client as it
    // stops, and Npgsql, which reads nothing while a connection sits in its pool, raises it as a PostgresException on
    // the first command sent there (DatabaseFaultTests logs the state it met). A server gone without a word (killed, a
    // network cut) leaves a socket that fails with an IOException inside an NpgsqlException instead. A timeout is
    // not retried: the deadline is already spent waiting for it.
    private static bool IsDeadConnection(Exception e) =>
        e is PostgresException { SqlState: "57P01" or "57P02" or "57P03" }
        || e is NpgsqlException { IsTransient: true, InnerException: IOException or System.Net.Sockets.SocketException or EndOfStreamException };
}
