namespace Ivr.FastAgi;

/// <summary>The peer broke the protocol; the call ends. <see cref="Reason"/> says how.</summary>
public sealed class AgiProtocolException(AgiProtocolError reason)
    : Exception($"FastAGI peer broke the protocol: {reason}")
{
    public AgiProtocolError Reason { get; } = reason;
}
