namespace Ivr.Lab;

/// <summary>How a simulated call ended.</summary>
public enum LabCallEnd
{
    /// <summary>The server sent <c>HANGUP</c>, then closed the connection.</summary>
    SystemHangup,

    /// <summary>The caller hung up and the server closed the connection.</summary>
    CallerHangup,

    /// <summary>The server closed the connection without hanging up (a real caller would hear silence).</summary>
    ServerClosed,

    /// <summary>The server stopped answering within the call's time limit.</summary>
    ServerSilent,
}
