using Microsoft.Extensions.Logging;

namespace Ivr.Server;

internal static partial class Log
{
    [LoggerMessage(200, LogLevel.Warning, "Call {UniqueId}: refused, the AGI key is missing or wrong")]
    public static partial void CallKeyRefused(ILogger logger, string? uniqueId);
}
