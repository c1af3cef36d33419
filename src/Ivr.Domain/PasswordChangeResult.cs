namespace Ivr.Domain;

/// <summary>What a password change did. The first five are the outcome of checking the current password (audited); the rest refuse the new one before any check.</summary>
public enum PasswordChangeResult
{
    /// <summary>The new password replaces the temporary or old one; the counters and the lock are cleared.</summary>
    Changed,

    /// <summary>No credential has this login id.</summary>
    Unknown,

    /// <summary>The current password did not match; counted like a wrong login.</summary>
    Wrong,

    /// <summary>The password is locked; a new temporary password by phone unlocks it.</summary>
    Locked,

    /// <summary>The temporary password is past its 24 hours or invalidated: set a new one by phone.</summary>
    TemporaryPasswordExpired,

    /// <summary>The new password is not 8 to 12 characters long.</summary>
    WrongLength,

    /// <summary>The new password has a character that is not an ASCII letter or digit.</summary>
    NotLettersAndDigits,

    /// <summary>The new password is digits only.</summary>
    DigitsOnly,

    /// <summary>The new password is the current one.</summary>
    SameAsCurrent,
}
