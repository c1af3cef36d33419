namespace Ivr.CallFlow;

/// <summary>Where a call is. Every state before an ending is a substate of <see cref="InCall"/>.</summary>
public enum CallState
{
    /// <summary>Asterisk has handed the call over; nothing has been said yet.</summary>
    HandedOver,
    InCall,
    CheckingCaller,
    SelectingUnit,
    EnteringNumber,
    EnteringPassword,
    ConfirmingPassword,
    Committing,

    Completed,
    TooManyErrors,
    NotContracted,
    CallerIdRequired,
    SystemError,
    CallerHungUp,
}
