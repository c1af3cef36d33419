using Microsoft.Extensions.Logging;

namespace Ivr.Server;

internal static partial class Log
{
    [LoggerMessage(200, LogLevel.Warning, "Call {UniqueId}: refused, the AGI key is missing or wrong")]
    public static partial void CallKeyRefused(ILogger logger, string? uniqueId);

    [LoggerMessage(210, LogLevel.Information, "Call traces: deleted {Count} of calls started before {Before}")]
    public static partial void TracesDeleted(ILogger logger, int count, DateTimeOffset before);

    [LoggerMessage(211, LogLevel.Warning, "Call traces: the clean-up failed; it runs again at the next interval")]
    public static partial void TraceCleanupFailed(ILogger logger, Exception exception);
}
