namespace Ivr.Store;

/// <summary>What a password change did.</summary>
public enum PasswordChangeResult
{
    Changed,

    /// <summary>The current password did not log in (see the login result given with it).</summary>
    CurrentPasswordRefused,

    WrongLength,
    NotLettersAndDigits,
    DigitsOnly,
    SameAsCurrent,
}
