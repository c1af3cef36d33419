namespace Ivr.Domain;

/// <summary>
/// What one login attempt found (SPEC §4, §6), printed as <c>temporary-ok</c>, <c>ok</c>, <c>wrong</c>,
/// <c>expired</c>, <c>locked</c>, <c>unknown</c>. Each answer tells the subscriber what to do next.
/// </summary>
public enum LoginResult
{
    /// <summary>The temporary password matched within its 24 hours: logged in, and the password must be changed now.</summary>
    TemporaryOk,

    /// <summary>The password matched and is within its 60 days: logged in.</summary>
    Ok,

    /// <summary>The password did not match; the attempt was counted. Try again.</summary>
    Wrong,

    /// <summary>
    /// Either the password matched but is 60 days old or more: logged in, and it must be changed now
    /// (the website's password change accepts it); or the temporary password is dead (24 hours
    /// passed, or 3 wrong attempts invalidated it), whatever was typed: set a new one by phone. The attempt that
    /// makes the 3rd wrong answers this too.
    /// </summary>
    Expired,

    /// <summary>10 consecutive wrong attempts locked the password, whatever was typed; a new temporary password by phone unlocks it. The 10th wrong attempt answers this.</summary>
    Locked,

    /// <summary>No credential has this login id (or it is not a phone number at all). Never a hint of which numbers exist.</summary>
    Unknown,
}
