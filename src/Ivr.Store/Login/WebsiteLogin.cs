using Ivr.Domain;
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
    private readonly LoginAttemptRecorder _recorder = new(dataSource, timeProvider);

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

    private async Task<Attempt> AttemptAsync(string login, string password, string? newPassword, CancellationToken cancellationToken)
    {
        for (var check = 1; check <= MaxChecks; check++)
        {
            if (await AttemptOnceAsync(login, password, newPassword, cancellationToken) is { } attempt)
            {
                return attempt;
            }
            Log.CredentialChangedDuringAttempt(_logger, login);
        }
        // The secret was replaced under every check (a burst of calls setting this login): what was typed matched
        // no secret that still stands. Answer as a wrong password, uncounted, rather than fail the page.
        return new(LoginResult.Wrong, false);
    }

    // The rules, in order: unknown; locked, whatever was typed; a dead temporary password, whatever was typed;
    // then the password is checked: wrong is counted, right resets the counter. Null when the credential
    // changed between reading it and recording the attempt.
    private async Task<Attempt?> AttemptOnceAsync(string login, string password, string? newPassword, CancellationToken cancellationToken)
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
            // The attempt that reaches a limit answers what the subscriber meets from now on.
            return await _recorder.CountWrongAttemptAsync(row, cancellationToken) switch
            {
                null => null,
                { IsLocked: true } => new(LoginResult.Locked, false),
                { HasTemporaryPassword: true } counted when !counted.IsTemporaryPasswordValid(now) => new(LoginResult.Expired, false),
                _ => new(LoginResult.Wrong, false),
            };
        }
        var recorded = newPassword is null
            ? await _recorder.RecordSuccessAsync(row, await RehashIfOutdatedAsync(row, password, cancellationToken), cancellationToken)
            : await _recorder.StorePasswordAsync(row, await hasher.HashAsync(newPassword, cancellationToken), cancellationToken);
        var result = row.HasTemporaryPassword ? LoginResult.TemporaryOk : row.IsPasswordExpired(now) ? LoginResult.Expired : LoginResult.Ok;
        return recorded ? new(result, newPassword is not null) : null;
    }

    // A password made with a retired pepper or fewer iterations is upgraded while its plain text is at hand.
    private async Task<string?> RehashIfOutdatedAsync(CredentialRow row, string password, CancellationToken cancellationToken) =>
        !row.HasTemporaryPassword && hasher.NeedsRehash(row.Secret) ? await hasher.HashAsync(password, cancellationToken) : null;
}
