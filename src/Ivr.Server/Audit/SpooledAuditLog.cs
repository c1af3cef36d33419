using Ivr.Domain;
using Ivr.Store;
using Microsoft.Extensions.Logging;

namespace Ivr.Server.Audit;

/// <summary>
/// The call audit trail with no row lost (issue 14, SPEC §4): a row the database cannot take now is kept in the
/// <see cref="AuditSpool"/>, and <see cref="AuditSpoolDrain"/> writes it when the database returns, with its own times.
/// </summary>
public sealed class SpooledAuditLog(AuditLog database, AuditSpool spool, ILogger<SpooledAuditLog> logger) : IAuditLog
{
    public async Task WriteAsync(CallRecord record, CancellationToken cancellationToken)
    {
        string cause;
        // Rows keep their order: while any wait in the spool, a new one queues behind them (and its call's
        // connection closes at once instead of waiting for a database that is likely still away).
        if (spool.Count == 0)
        {
            try
            {
                await database.WriteAsync(record, cancellationToken);
                return;
            }
            catch (Exception e)
            {
                // Whatever went wrong, the row is kept: the drain sets aside one the schema refuses, for the operators.
                cause = e is CallFailureException failure ? failure.Cause.ToName() : e.GetType().Name;
            }
        }
        else
        {
            cause = "rows-waiting";
        }
        spool.Add(record);
        Log.AuditRowSpooled(logger, record.CallId, cause, spool.Count);
    }
}
