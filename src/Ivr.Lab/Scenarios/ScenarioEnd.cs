namespace Ivr.Lab.Scenarios;

/// <summary>Who ends a call.</summary>
public enum ScenarioEnd
{
    /// <summary>The server sends <c>HANGUP</c> (scenario word <c>system-hangup</c>).</summary>
    SystemHangup,

    /// <summary>The caller hangs up (scenario word <c>caller-hangup</c>); the server must stop and close at once.</summary>
    CallerHangup,
}
