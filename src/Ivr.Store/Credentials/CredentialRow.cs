using Dapper;
using Ivr.Domain;
using Npgsql;

namespace Ivr.Store;

/// <summary>A <c>credentials</c> row as Dapper reads it, and what SPEC §4's clock rules make of it.</summary>
internal sealed class CredentialRow
{
    public const string Columns = """
        login_id AS LoginId, contract_id AS ContractId, unit AS Unit,
        temporary_password_hash AS TemporaryPasswordHash, temporary_password_set_at AS TemporaryPasswordSetAt,
        temporary_password_set_by_call AS TemporaryPasswordSetByCall, temporary_password_invalidated_at AS TemporaryPasswordInvalidatedAt,
        password_hash AS PasswordHash, password_changed_at AS PasswordChangedAt,
        failed_attempts AS FailedAttempts, locked_at AS LockedAt, version AS Version, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public string LoginId { get; init; } = "";
    public string ContractId { get; init; } = "";
    public string Unit { get; init; } = "";
    public string? TemporaryPasswordHash { get; init; }
    public DateTime? TemporaryPasswordSetAt { get; init; }
    public string? TemporaryPasswordSetByCall { get; init; }
    public DateTime? TemporaryPasswordInvalidatedAt { get; init; }
    public string? PasswordHash { get; init; }
    public DateTime? PasswordChangedAt { get; init; }
    public int FailedAttempts { get; init; }
    public DateTime? LockedAt { get; init; }
    public long Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    private const string ReadSql = $"SELECT {Columns} FROM credentials WHERE login_id = @Login";

    public static async Task<CredentialRow?> ReadAsync(NpgsqlDataSource dataSource, string login, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CredentialRow>(new CommandDefinition(ReadSql, new { Login = login }, cancellationToken: cancellationToken));
    }

    /// <summary>The one secret the login has now: the temporary password until a password is chosen (the schema keeps exactly one).</summary>
    public string Secret => TemporaryPasswordHash ?? PasswordHash!;

    public bool HasTemporaryPassword => TemporaryPasswordHash is not null;

    public bool IsLocked => LockedAt is not null;

    public DateTimeOffset? TemporaryPasswordExpiresAt => Timestamps.FromDatabase(TemporaryPasswordSetAt) + LoginRules.TemporaryPasswordLifetime;

    /// <summary>Whether the temporary password may still log in: not invalidated, and less than 24 hours old.</summary>
    public bool IsTemporaryPasswordValid(DateTimeOffset now) =>
        HasTemporaryPassword && TemporaryPasswordInvalidatedAt is null && now < TemporaryPasswordExpiresAt;

    public DateTimeOffset? PasswordExpiresAt => Timestamps.FromDatabase(PasswordChangedAt) + LoginRules.PasswordLifetime;

    public bool IsPasswordExpired(DateTimeOffset now) => now >= PasswordExpiresAt;

    public CredentialState ToState(DateTimeOffset now) => new(
        Login: LoginId,
        ContractId: ContractId,
        Unit: DomainWords.TryParse(Unit, out SettingUnit unit) ? unit : throw new InvalidOperationException($"credential {LoginId} has unit '{Unit}'"),
        TemporaryPasswordPresent: HasTemporaryPassword,
        TemporaryPasswordValid: IsTemporaryPasswordValid(now),
        TemporaryPasswordSetAt: Timestamps.FromDatabase(TemporaryPasswordSetAt),
        TemporaryPasswordSetByCall: TemporaryPasswordSetByCall,
        TemporaryPasswordExpiresAt: TemporaryPasswordExpiresAt,
        TemporaryPasswordInvalidatedAt: Timestamps.FromDatabase(TemporaryPasswordInvalidatedAt),
        PasswordPresent: PasswordHash is not null,
        PasswordChangedAt: Timestamps.FromDatabase(PasswordChangedAt),
        PasswordExpiresAt: PasswordExpiresAt,
        PasswordExpired: IsPasswordExpired(now),
        FailedAttempts: FailedAttempts,
        Locked: IsLocked,
        LockedAt: Timestamps.FromDatabase(LockedAt),
        Version: Version,
        CreatedAt: Timestamps.FromDatabase(CreatedAt),
        UpdatedAt: Timestamps.FromDatabase(UpdatedAt));
}
