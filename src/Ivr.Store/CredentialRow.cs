namespace Ivr.Store;

// A credentials row as Dapper reads it (timestamptz arrives as UTC DateTime).
internal sealed class CredentialRow
{
    public const string Columns = """
        login_id AS LoginId, contract_id AS ContractId, unit AS Unit,
        temporary_password_hash AS TemporaryPasswordHash, temporary_password_set_at AS TemporaryPasswordSetAt,
        temporary_password_invalidated_at AS TemporaryPasswordInvalidatedAt,
        password_hash AS PasswordHash, password_changed_at AS PasswordChangedAt,
        failed_attempts AS FailedAttempts, locked_at AS LockedAt, version AS Version, updated_at AS UpdatedAt
        """;

    public string LoginId { get; init; } = "";
    public string ContractId { get; init; } = "";
    public string Unit { get; init; } = "";
    public string? TemporaryPasswordHash { get; init; }
    public DateTime? TemporaryPasswordSetAt { get; init; }
    public DateTime? TemporaryPasswordInvalidatedAt { get; init; }
    public string? PasswordHash { get; init; }
    public DateTime? PasswordChangedAt { get; init; }
    public int FailedAttempts { get; init; }
    public DateTime? LockedAt { get; init; }
    public long Version { get; init; }
    public DateTime UpdatedAt { get; init; }

    /// <summary>The temporary password, while it may still log in: set, not invalidated, within its 24 hours.</summary>
    public bool HasUsableTemporaryPassword(DateTimeOffset now) =>
        TemporaryPasswordHash is not null && TemporaryPasswordInvalidatedAt is null && now < TemporaryPasswordExpiresAt;

    public DateTimeOffset? TemporaryPasswordExpiresAt => Utc(TemporaryPasswordSetAt) + LoginRules.TemporaryPasswordLifetime;

    public DateTimeOffset? PasswordExpiresAt => Utc(PasswordChangedAt) + LoginRules.PasswordLifetime;

    public CredentialState ToState(DateTimeOffset now) => new(
        LoginId,
        ContractId,
        Unit,
        TemporaryPasswordSet: TemporaryPasswordHash is not null,
        TemporaryPasswordUsable: HasUsableTemporaryPassword(now),
        TemporaryPasswordSetAt: Utc(TemporaryPasswordSetAt),
        TemporaryPasswordExpiresAt: TemporaryPasswordExpiresAt,
        PasswordSet: PasswordHash is not null,
        PasswordChangedAt: Utc(PasswordChangedAt),
        PasswordExpiresAt: PasswordExpiresAt,
        FailedAttempts,
        Locked: LockedAt is not null,
        Version,
        UpdatedAt: Utc(UpdatedAt)!.Value);

    public static DateTimeOffset? Utc(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
