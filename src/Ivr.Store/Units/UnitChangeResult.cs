namespace Ivr.Store;

/// <summary>What an authentication-unit change did.</summary>
public enum UnitChangeResult
{
    /// <summary>Changed; the login id is the one the new unit defines.</summary>
    Changed,

    /// <summary>The password given for this login is not its password.</summary>
    Wrong,

    /// <summary>A number the line unit would merge was not proved by its password or a valid temporary password.</summary>
    MergedPasswordWrong,

    /// <summary>This login's password is locked (by this check or earlier): a new temporary password by phone unlocks it.</summary>
    Locked,

    /// <summary>Only a chosen password still in date may change the unit (log in and choose one first).</summary>
    PasswordRequired,

    /// <summary>The credentials changed while this change was being made: look again and retry.</summary>
    Conflict,

    /// <summary>The login has no credential.</summary>
    Unknown,
}
