using System.Text.Json.Serialization;
using Ivr.Domain;

namespace Ivr.Store;

/// <summary>
/// A credential's state as <c>ivr credentials show</c> prints it and the website reads it: never a password or
/// a hash. Serialised with <c>JsonSerializerDefaults.Web</c>, the keys are camelCase (<c>temporaryPasswordValid</c>)
/// and the unit is its word (<c>admin-user</c>).
/// </summary>
/// <param name="Login">The login id, a phone number (SPEC §4).</param>
/// <param name="ContractId">The contract the login belongs to.</param>
/// <param name="Unit">The unit the credential was set for, written <c>line</c>, <c>number</c> or <c>admin-user</c>.</param>
/// <param name="TemporaryPasswordPresent">A temporary password is set and no password has been chosen since.</param>
/// <param name="TemporaryPasswordValid">It may log in now: not invalidated and less than 24 hours old.</param>
/// <param name="TemporaryPasswordSetAt">When the IVR set it.</param>
/// <param name="TemporaryPasswordSetByCall">The call that set it (its audit row's call id).</param>
/// <param name="TemporaryPasswordExpiresAt">The moment it stops logging in (set + 24 h).</param>
/// <param name="TemporaryPasswordInvalidatedAt">When 3 wrong attempts invalidated it.</param>
/// <param name="PasswordPresent">The subscriber has chosen a password.</param>
/// <param name="PasswordChangedAt">When they did.</param>
/// <param name="PasswordExpiresAt">The moment it must be changed (changed + 60 days).</param>
/// <param name="PasswordExpired">That moment has passed: a login with it answers <c>expired</c>.</param>
/// <param name="FailedAttempts">Consecutive wrong attempts since the last success or the last temporary password.</param>
/// <param name="Locked">10 consecutive wrong attempts locked it.</param>
/// <param name="LockedAt">When.</param>
/// <param name="Version">Bumped by every write to the credential, so a reader can tell "unchanged" for sure.</param>
/// <param name="CreatedAt">When the login first got a credential.</param>
/// <param name="UpdatedAt">The last write.</param>
public sealed record CredentialState(
    string Login,
    string ContractId,
    [property: JsonConverter(typeof(DomainWordConverter<SettingUnit>))] SettingUnit Unit,
    bool TemporaryPasswordPresent,
    bool TemporaryPasswordValid,
    DateTimeOffset? TemporaryPasswordSetAt,
    string? TemporaryPasswordSetByCall,
    DateTimeOffset? TemporaryPasswordExpiresAt,
    DateTimeOffset? TemporaryPasswordInvalidatedAt,
    bool PasswordPresent,
    DateTimeOffset? PasswordChangedAt,
    DateTimeOffset? PasswordExpiresAt,
    bool PasswordExpired,
    int FailedAttempts,
    bool Locked,
    DateTimeOffset? LockedAt,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
