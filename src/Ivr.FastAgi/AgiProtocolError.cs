namespace Ivr.FastAgi;

/// <summary>Why a peer's bytes could not be taken as FastAGI.</summary>
public enum AgiProtocolError
{
    LineTooLong,
    EnvironmentTooLarge,
    EnvironmentTimeout,
    MalformedEnvironmentLine,
    EndOfStreamInEnvironment,
    MalformedReply,
    UnexpectedReply,
    ReplyTimeout,
}
