using System.Net;
using Microsoft.Extensions.Logging;

namespace Ivr.FastAgi;

// The protocol layer's log lines. None takes a command's arguments or a reply's result: GET DATA carries
// keyed digits, which may be a password.
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Trace, "Call {UniqueId}: sent {Verb}")]
    public static partial void CommandSent(ILogger logger, string? uniqueId, string verb);

    [LoggerMessage(2, LogLevel.Error, "Call {UniqueId}: {Verb} {File} failed on a live channel (missing prompt file?)")]
    public static partial void CommandFailed(ILogger logger, string? uniqueId, string verb, string? file);

    [LoggerMessage(3, LogLevel.Debug, "Call {UniqueId}: the caller hung up")]
    public static partial void CallerHungUp(ILogger logger, string? uniqueId);

    [LoggerMessage(4, LogLevel.Warning, "Call {UniqueId}: the peer broke the protocol ({Reason}); the call ends")]
    public static partial void ProtocolBroken(ILogger logger, string? uniqueId, AgiProtocolError reason);

    [LoggerMessage(5, LogLevel.Warning, "Refused a FastAGI connection from {Peer}: not in the allowed peers (further refusals from it are not logged for a minute)")]
    public static partial void PeerRefused(ILogger logger, IPAddress peer);

    [LoggerMessage(6, LogLevel.Warning, "Refused a FastAGI connection: {MaxConcurrentCalls} calls are already in progress")]
    public static partial void TooManyCalls(ILogger logger, int maxConcurrentCalls);

    [LoggerMessage(7, LogLevel.Warning, "Call {UniqueId}: no script at path '{Path}'; the connection is closed")]
    public static partial void UnknownScript(ILogger logger, string? uniqueId, string? path);

    [LoggerMessage(8, LogLevel.Warning, "A FastAGI connection from {Peer} ended before its call started ({Reason})")]
    public static partial void EnvironmentRefused(ILogger logger, EndPoint? peer, AgiProtocolError reason);

    [LoggerMessage(9, LogLevel.Error, "Call {UniqueId}: the script failed")]
    public static partial void ScriptFailed(ILogger logger, string? uniqueId, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "Listening for FastAGI on {EndPoint}")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(11, LogLevel.Warning, "A FastAGI connection could not be accepted ({Reason}); accepting again in 100 ms")]
    public static partial void AcceptFailed(ILogger logger, string reason);
}
