using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ivr.Store;

/// <summary>
/// The settings website's login (SPEC §4): one implementation of its rules, used by the website and by
/// <c>ivr credentials verify</c>. Every attempt that checks a password is counted and audited (never the password).
/// </summary>
/// <remarks>
/// The slow hash never runs inside a transaction. An attempt reads the credential, checks the password, then
/// records what it found with one conditional <c>UPDATE</c> that re-checks, under the row lock, that the secret it
/// checked is still the login's secret. Racing attempts are therefore all counted (each increments the stored
/// counter, not a copy read earlier), and an attempt that lost a race with a new temporary password or a password
/// change starts again on the new state instead of writing over it.
/// </remarks>
public sealed class WebsiteLogin(
    NpgsqlDataSource dataSource, PasswordHasher hasher, TimeProvider timeProvider, ILogger<WebsiteLogin>? logger = null)
{
    // A credential changes under an attempt only when the IVR or a change of password writes it: rare enough
    // that a third race in a row means something is wrong.
    private const int MaxChecks = 3;

    private readonly ILogger _logger = logger ?? NullLogger<WebsiteLogin>.Instance;
    private readonly LoginAudit _audit = new(dataSource);

    /// <summary>One login attempt, exactly as the website makes it: counted and audited.</summary>
    /// <param name="clientAddress">For the audit row: the browser's address, or the tool making the attempt (<c>cli</c>).</param>
    public async Task<LoginResult> VerifyAsync(string login, string password, string? clientAddress, CancellationToken cancellationToken)
    {
        var attempt = await AttemptAsync(login, password, newPassword: null, cancellationToken);
        await _audit.WriteAsync(timeProvider.GetUtcNow(), login, clientAddress, LoginAudit.LoginAction, attempt.Result.ToName(), cancellationToken);
        return attempt.Result;
    }

    /// <summary>
    /// Replaces the temporary password or the password with one the subscriber chose. The current one must log in
    /// (<see cref="LoginResult.TemporaryOk"/>, <see cref="LoginResult.Ok"/>, or a correct but expired password);
    /// that check counts like a login. A new password that breaks a rule is refused before any check.
    /// </summary>
    public async Task<PasswordChangeResult> ChangePasswordAsync(
        string login, string currentPassword, string newPassword, string? clientAddress, CancellationToken cancellationToken)
    {
        if (LoginRules.CheckNewPassword(newPassword, currentPassword) is { } refused)
        {
            return refused;
        }
        var attempt = await AttemptAsync(login, currentPassword, newPassword, cancellationToken);
        var result = attempt.PasswordChanged ? PasswordChangeResult.Changed : attempt.Result switch
        {
            LoginResult.Unknown => PasswordChangeResult.Unknown,
            LoginResult.Locked => PasswordChangeResult.Locked,
            LoginResult.Expired => PasswordChangeResult.TemporaryPasswordExpired,
            _ => PasswordChangeResult.Wrong,
        };
        await _audit.WriteAsync(timeProvider.GetUtcNow(), login, clientAddress, LoginAudit.ChangePasswordAction, result.ToName(), cancellationToken);
        return result;
    }

    /// <summary>The credential's state, or null when the login has none. Reads only: counts nothing.</summary>
    public async Task<CredentialState?> ShowAsync(string login, CancellationToken cancellationToken)
    {
        var row = await CredentialRow.ReadAsync(dataSource, login, cancellationToken);
        return row?.ToState(timeProvider.GetUtcNow());
    }

    private readonly record struct Attempt(LoginResult Result, bool PasswordChanged);

    // The rules, in order: unknown; locked (whatever was typed); a dead temporary password (whatever was typed);
    // then the password is checked: wrong is counted, right resets the counter.
    private async Task<Attempt> AttemptAsync(string login, string password, string? newPassword, CancellationToken cancellationToken)
    {
        for (var check = 1; check <= MaxChecks; check++)
        {
            var row = PhoneNumbers.IsNational(login) ? await CredentialRow.ReadAsync(dataSource, login, cancellationToken) : null;
            var now = timeProvider.GetUtcNow();
            if (row is null)
            {
                // As slow as a real check, so that timing does not tell which numbers have a credential.
                await hasher.SpendVerificationTimeAsync(password, cancellationToken);
                return new(LoginResult.Unknown, false);
            }
            if (row.IsLocked)
            {
                return new(LoginResult.Locked, false);
            }
            if (row.HasTemporaryPassword && !row.IsTemporaryPasswordValid(now))
            {
                return new(LoginResult.Expired, false);
            }
            if (!await hasher.VerifyAsync(password, row.Secret, cancellationToken))
            {
                if (await CountWrongAttemptAsync(row, cancellationToken) is { } counted)
                {
                    var result = counted.IsLocked ? LoginResult.Locked
                        : counted.HasTemporaryPassword && !counted.IsTemporaryPasswordValid(now) ? LoginResult.Expired
                        : LoginResult.Wrong;
                    return new(result, false);
                }
            }
            else if (newPassword is null ? await RecordSuccessAsync(row, password, cancellationToken) : await ChangePasswordAsync(row, newPassword, cancellationToken))
            {
                var result = row.HasTemporaryPassword ? LoginResult.TemporaryOk : row.IsPasswordExpired(now) ? LoginResult.Expired : LoginResult.Ok;
                return new(result, newPassword is not null);
            }
            Log.CredentialChangedDuringAttempt(_logger, login);
        }
        // The secret was replaced under every check (a burst of calls setting this login): what was typed matched
        // no secret that still stands. Answer as a wrong password, uncounted, rather than fail the page.
        return new(LoginResult.Wrong, false);
    }

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
    private async Task<CredentialRow?> CountWrongAttemptAsync(CredentialRow row, CancellationToken cancellationToken)
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

    /// <summary>Resets the counter (and upgrades an old password hash); false when the credential changed since it was read.</summary>
    private async Task<bool> RecordSuccessAsync(CredentialRow row, string password, CancellationToken cancellationToken)
    {
        // A password made with a retired pepper or fewer iterations is upgraded while its plain text is at hand.
        var rehash = !row.HasTemporaryPassword && hasher.NeedsRehash(row.Secret) ? await hasher.HashAsync(password, cancellationToken) : null;
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

    private const string ChangePasswordSql = """
        UPDATE credentials
        SET password_hash = @NewHash, password_changed_at = @Now,
            temporary_password_hash = NULL, temporary_password_set_at = NULL, temporary_password_set_by_call = NULL,
            temporary_password_invalidated_at = NULL,
            failed_attempts = 0, locked_at = NULL, version = version + 1, updated_at = @Now
        WHERE login_id = @Login AND COALESCE(temporary_password_hash, password_hash) = @Secret
          AND locked_at IS NULL AND temporary_password_invalidated_at IS NULL
        """;

    /// <summary>Stores the new password; false when the credential changed since it was read.</summary>
    private async Task<bool> ChangePasswordAsync(CredentialRow row, string newPassword, CancellationToken cancellationToken)
    {
        var newHash = await hasher.HashAsync(newPassword, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(ChangePasswordSql, new
        {
            Login = row.LoginId,
            row.Secret,
            NewHash = newHash,
            Now = timeProvider.GetUtcNow(),
        }, cancellationToken: cancellationToken)) == 1;
    }
}
