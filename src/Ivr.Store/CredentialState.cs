namespace Ivr.Store;

/// <summary>A credential as <c>ivr credentials show</c> prints it: its state, never a secret or a hash.</summary>
public sealed record CredentialState(
    string Login,
    string ContractId,
    string Unit,
    bool TemporaryPasswordSet,
    bool TemporaryPasswordUsable,
    DateTimeOffset? TemporaryPasswordSetAt,
    DateTimeOffset? TemporaryPasswordExpiresAt,
    bool PasswordSet,
    DateTimeOffset? PasswordChangedAt,
    DateTimeOffset? PasswordExpiresAt,
    int FailedAttempts,
    bool Locked,
    long Version,
    DateTimeOffset UpdatedAt);
