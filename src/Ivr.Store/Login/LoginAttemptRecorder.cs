using Dapper;
using Npgsql;

namespace Ivr.Store;

/// <summary>
/// Records what a login attempt found, each with one conditional <c>UPDATE</c> that applies only while the
/// secret the attempt checked is still the login's (see <see cref="WebsiteLogin"/>). Never runs a hash.
/// </summary>
public sealed class LoginAttemptRecorder(NpgsqlDataSource dataSource, TimeProvider timeProvider)
{
    // A temporary password is invalidated by its 3rd consecutive wrong attempt, a password locked by its 10th.
    private const string CountWrongAttemptSql = $"""
        UPDATE credentials
        SET failed_attempts = failed_attempts + 1,
            temporary_password_invalidated_at = CASE
                WHEN temporary_password_hash IS NOT NULL AND temporary_password_invalidated_at IS NULL
                     AND failed_attempts + 1 >= @TemporaryPasswordLimit THEN @Now
                ELSE temporary_password_invalidated_at END,
            locked_at = CASE
                WHEN password_hash IS NOT NULL AND locked_at IS NULL AND failed_attempts + 1 >= @PasswordLimit THEN @Now
                ELSE locked_at END,
            version = version + 1,
            updated_at = @Now
        WHERE login_id = @Login AND COALESCE(temporary_password_hash, password_hash) = @Secret
        RETURNING {CredentialRow.Columns}
        """;

    /// <summary>The credential after counting, or null when its secret changed since it was read.</summary>
    internal async Task<CredentialRow?> CountWrongAttemptAsync(CredentialRow row, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CredentialRow>(new CommandDefinition(CountWrongAttemptSql, new
        {
            Login = row.LoginId,
            row.Secret,
            TemporaryPasswordLimit = LoginRules.TemporaryPasswordWrongAttemptLimit,
            PasswordLimit = LoginRules.PasswordWrongAttemptLimit,
            Now = timeProvider.GetUtcNow(),
        }, cancellationToken: cancellationToken));
    }

    // Only if the secret checked is still the login's and still usable: a racing 3rd or 10th wrong attempt wins.
    private const string RecordSuccessSql = """
        UPDATE credentials
        SET failed_attempts = 0, password_hash = COALESCE(@Rehash, password_hash), version = version + 1, updated_at = @Now
        WHERE login_id = @Login AND COALESCE(temporary_password_hash, password_hash) = @Secret
          AND locked_at IS NULL AND temporary_password_invalidated_at IS NULL
        """;

    /// <summary>Resets the counter and stores <paramref name="rehash"/> if any; false when the credential changed since it was read.</summary>
    internal async Task<bool> RecordSuccessAsync(CredentialRow row, string? rehash, CancellationToken cancellationToken)
    {
        if (row.FailedAttempts == 0 && rehash is null)
        {
            return true; // nothing to write: a plain successful login leaves the credential as it was
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(RecordSuccessSql, new
        {
            Login = row.LoginId,
            row.Secret,
            Rehash = rehash,
            Now = timeProvider.GetUtcNow(),
        }, cancellationToken: cancellationToken)) == 1;
    }

    // A new session stamp: every other session of the login ends with the old password.
    private const string StorePasswordSql = """
        UPDATE credentials
        SET password_hash = @NewHash, password_changed_at = @Now,
            temporary_password_hash = NULL, temporary_password_set_at = NULL, temporary_password_set_by_call = NULL,
            temporary_password_invalidated_at = NULL,
            failed_attempts = 0, locked_at = NULL, session_stamp = gen_random_uuid(), version = version + 1, updated_at = @Now
        WHERE login_id = @Login AND COALESCE(temporary_password_hash, password_hash) = @Secret
          AND locked_at IS NULL AND temporary_password_invalidated_at IS NULL
        RETURNING session_stamp
        """;

    /// <summary>
    /// Stores a new password in place of the temporary or old one; the new session stamp, or null when the
    /// credential changed since it was read.
    /// </summary>
    internal async Task<Guid?> StorePasswordAsync(CredentialRow row, string newHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(StorePasswordSql, new
        {
            Login = row.LoginId,
            row.Secret,
            NewHash = newHash,
            Now = timeProvider.GetUtcNow(),
        }, cancellationToken: cancellationToken));
    }
}
