namespace Ivr.Store;

/// <summary>What one login attempt found (printed by <c>ivr credentials verify</c> as <c>temporary-ok</c>, <c>ok</c>, …).</summary>
public enum LoginResult
{
    /// <summary>The temporary password matched: the subscriber must now choose a password.</summary>
    TemporaryOk,

    /// <summary>The password matched and is within its 60 days.</summary>
    Ok,

    /// <summary>Nothing matched; the attempt was counted.</summary>
    Wrong,

    /// <summary>
    /// The password matched but is older than 60 days and must be changed now; or the temporary password is past
    /// its 24 hours or was invalidated by 3 wrong attempts and no password is left: set a new one by phone.
    /// </summary>
    Expired,

    /// <summary>10 wrong attempts locked the password; a new temporary password by phone unlocks it.</summary>
    Locked,

    /// <summary>No credential has this login id.</summary>
    Unknown,
}
