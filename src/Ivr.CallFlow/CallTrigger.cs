namespace Ivr.CallFlow;

/// <summary>What happened in a call, moving it from one <see cref="CallState"/> to the next.</summary>
public enum CallTrigger
{
    CallStarted,
    CallerWithheld,
    CallerNotContracted,
    CallerIdentified,
    UnitSelected,
    NumberAccepted,
    PasswordKeyed,
    PasswordConfirmed,
    BadInput,
    Committed,
    CommitRefused,
    CallerHungUp,
    SystemFailed,
}
