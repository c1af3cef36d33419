namespace Ivr.Domain;

/// <summary>How a call ended, as its audit row records it (SPEC §4).</summary>
public enum CallOutcome
{
    Completed,
    TooManyErrors,
    CallerHungUp,
    NotContracted,
    CallerIdRequired,
    SystemError,
}
