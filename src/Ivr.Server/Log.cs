using Microsoft.Extensions.Logging;

namespace Ivr.Server;

// The server's log lines. Their parameters are where a reviewer checks that no keyed password digit is logged:
// call ids, counts, folders and causes only.
internal static partial class Log
{
    [LoggerMessage(200, LogLevel.Warning, "Call {UniqueId}: refused, the AGI key is missing or wrong")]
    public static partial void CallKeyRefused(ILogger logger, string? uniqueId);

    [LoggerMessage(201, LogLevel.Warning, "Call {CallId}: the audit row could not be written now ({Cause}); kept in the audit spool, {Waiting} rows waiting")]
    public static partial void AuditRowSpooled(ILogger logger, string callId, string cause, int waiting);

    [LoggerMessage(202, LogLevel.Critical, "Call {CallId}: the audit spool {Folder} is full ({Limit} rows); this call's audit row is lost")]
    public static partial void AuditSpoolFull(ILogger logger, string callId, int limit, string folder);

    [LoggerMessage(203, LogLevel.Warning, "Audit spool {Folder}: {Waiting} rows from an earlier run are waiting; writing them")]
    public static partial void AuditSpoolFoundAtStart(ILogger logger, int waiting, string folder);

    [LoggerMessage(204, LogLevel.Warning, "Audit spool: {Waiting} rows wait for the database ({Cause}); trying again every {Period}")]
    public static partial void AuditSpoolWaiting(ILogger logger, int waiting, string cause, TimeSpan period);

    [LoggerMessage(205, LogLevel.Information, "Audit spool: {Written} waiting rows written to the database; {Waiting} still waiting")]
    public static partial void AuditSpoolDrained(ILogger logger, int written, int waiting);

    [LoggerMessage(206, LogLevel.Error, "Audit spool: a row can never be written to the database; set aside as {File}")]
    public static partial void AuditRowRejected(ILogger logger, string file, Exception exception);

    [LoggerMessage(207, LogLevel.Error, "Audit spool {Folder} cannot be used: audit rows the database cannot take now will be lost")]
    public static partial void AuditSpoolUnusable(ILogger logger, string folder, Exception exception);

    [LoggerMessage(210, LogLevel.Information, "Call traces: deleted {Count} of calls started before {Before}")]
    public static partial void TracesDeleted(ILogger logger, int count, DateTimeOffset before);

    [LoggerMessage(211, LogLevel.Warning, "Call traces: the clean-up failed; it runs again at the next interval")]
    public static partial void TraceCleanupFailed(ILogger logger, Exception exception);

    [LoggerMessage(212, LogLevel.Information, "No call for a while after a surge: {Freed} MB of heap given back, {Committed} MB kept")]
    public static partial void MemoryReleased(ILogger logger, long freed, long committed);

    [LoggerMessage(213, LogLevel.Information, "Collector: {Kind}, heaps: {Heaps}, young generation at most {Budget} a heap")]
    public static partial void Collector(ILogger logger, string kind, long heaps, string budget);
}
