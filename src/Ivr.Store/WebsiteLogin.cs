using System.Data.Common;
using Dapper;
using Npgsql;

namespace Ivr.Store;

/// <summary>
/// The settings website's login (SPEC §4), shared by the website and <c>ivr credentials verify</c>, so there is
/// one implementation of its rules. Each attempt runs in one transaction holding the credential's row lock,
/// so racing attempts are all counted and none sees a half-written credential.
/// </summary>
public sealed class WebsiteLogin(NpgsqlDataSource dataSource, PasswordHasher hasher, TimeProvider time)
{
    private const string LockSql = $"SELECT {CredentialRow.Columns} FROM credentials WHERE login_id = @login FOR UPDATE";

    private const string RecordAttemptSql = """
        UPDATE credentials SET failed_attempts = @failedAttempts, locked_at = @lockedAt,
            temporary_password_invalidated_at = @invalidatedAt, version = version + 1, updated_at = @now
        WHERE login_id = @login
        """;

    private const string AuditSql = """
        INSERT INTO login_audit (login_id, attempted_at, client_address, result) VALUES (@login, @now, @clientAddress, @result)
        """;

    /// <summary>One login attempt, counted, audited (never the password).</summary>
    public async Task<LoginResult> VerifyAsync(string login, string password, string? clientAddress, CancellationToken cancellationToken)
    {
        await using var attempt = await BeginAsync(login, cancellationToken);
        var result = await attempt.CheckAsync(password, cancellationToken);
        await attempt.AuditAndCommitAsync(clientAddress, result, cancellationToken);
        return result;
    }

    private const string ChangePasswordSql = """
        UPDATE credentials SET password_hash = @hash, password_changed_at = @now,
            temporary_password_hash = NULL, temporary_password_set_at = NULL, temporary_password_invalidated_at = NULL,
            failed_attempts = 0, locked_at = NULL, version = version + 1, updated_at = @now
        WHERE login_id = @login
        """;

    /// <summary>
    /// Replaces the password (or the temporary one) with a new one the subscriber chose. The current one must log
    /// in (<see cref="LoginResult.TemporaryOk"/>, <see cref="LoginResult.Ok"/> or a correct but
    /// <see cref="LoginResult.Expired"/> password); the attempt counts like any login.
    /// </summary>
    public async Task<(PasswordChangeResult Result, LoginResult Login)> ChangePasswordAsync(
        string login, string currentPassword, string newPassword, string? clientAddress, CancellationToken cancellationToken)
    {
        await using var attempt = await BeginAsync(login, cancellationToken);
        var loginResult = await attempt.CheckAsync(currentPassword, cancellationToken);
        var loggedIn = loginResult is LoginResult.TemporaryOk or LoginResult.Ok || (loginResult == LoginResult.Expired && attempt.PasswordMatched);
        var result = !loggedIn ? PasswordChangeResult.CurrentPasswordRefused
            : LoginRules.CheckNewPassword(newPassword, currentPassword) ?? PasswordChangeResult.Changed;
        if (result == PasswordChangeResult.Changed)
        {
            var hash = await hasher.HashAsync(newPassword, cancellationToken);
            await attempt.ExecuteAsync(ChangePasswordSql, new { login, hash, now = time.GetUtcNow() }, cancellationToken);
        }
        await attempt.AuditAndCommitAsync(clientAddress, loginResult, cancellationToken);
        return (result, loginResult);
    }

    private async Task<Attempt> BeginAsync(string login, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CredentialRow>(new CommandDefinition(LockSql, new { login }, transaction, cancellationToken: cancellationToken));
        return new Attempt(hasher, time, login, connection, transaction, row);
    }

    private sealed class Attempt(PasswordHasher hasher, TimeProvider time, string login, NpgsqlConnection connection, DbTransaction transaction, CredentialRow? row) : IAsyncDisposable
    {
        public bool PasswordMatched { get; private set; }

        public async Task<LoginResult> CheckAsync(string password, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            if (row is null)
            {
                // As slow as a real check, so timing does not tell which numbers have a credential.
                await hasher.SpendVerificationTimeAsync(password, cancellationToken);
                return LoginResult.Unknown;
            }
            if (row.HasUsableTemporaryPassword(now))
            {
                if (await hasher.VerifyAsync(password, row.TemporaryPasswordHash!, cancellationToken))
                {
                    await RecordAsync(0, null, null, now, cancellationToken);
                    return LoginResult.TemporaryOk;
                }
                var failed = row.FailedAttempts + 1;
                await RecordAsync(failed, null, failed >= LoginRules.TemporaryPasswordAttempts ? now : null, now, cancellationToken);
                return LoginResult.Wrong;
            }
            if (row.PasswordHash is null)
            {
                return LoginResult.Expired;
            }
            if (row.LockedAt is not null)
            {
                return LoginResult.Locked;
            }
            if (await hasher.VerifyAsync(password, row.PasswordHash, cancellationToken))
            {
                PasswordMatched = true;
                await RecordAsync(0, null, null, now, cancellationToken);
                return now >= row.PasswordExpiresAt ? LoginResult.Expired : LoginResult.Ok;
            }
            var wrong = row.FailedAttempts + 1;
            await RecordAsync(wrong, wrong >= LoginRules.PasswordAttempts ? now : null, null, now, cancellationToken);
            return LoginResult.Wrong;
        }

        private Task RecordAsync(int failedAttempts, DateTimeOffset? lockedAt, DateTimeOffset? invalidatedAt, DateTimeOffset now, CancellationToken cancellationToken) =>
            row!.FailedAttempts == failedAttempts && lockedAt is null && invalidatedAt is null
                ? Task.CompletedTask // nothing changes: a repeated success writes nothing
                : ExecuteAsync(RecordAttemptSql, new { login, failedAttempts, lockedAt, invalidatedAt, now }, cancellationToken);

        public Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken) =>
            connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));

        public async Task AuditAndCommitAsync(string? clientAddress, LoginResult result, CancellationToken cancellationToken)
        {
            await ExecuteAsync(AuditSql, new { login, now = time.GetUtcNow(), clientAddress, result = result.ToName() }, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
