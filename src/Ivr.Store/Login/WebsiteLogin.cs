using Dapper;
using Ivr.Domain;
using Microsoft.Extensions.Logging;
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
    NpgsqlDataSource dataSource, PasswordHasher hasher, LoginAudit audit, LoginAttemptRecorder recorder, TimeProvider timeProvider,
    StoreMetrics metrics, ILogger<WebsiteLogin> logger)
{
    // A credential changes under an attempt only when the IVR or a change of password writes it: rare enough
    // that a third race in a row means something is wrong.
    private const int MaxChecks = 3;


    /// <summary>One login attempt, exactly as the website makes it: counted and audited.</summary>
    /// <param name="clientAddress">For the audit row: the browser's address, or the tool making the attempt (<c>cli</c>).</param>
    public async Task<LoginResult> VerifyAsync(string login, string password, string? clientAddress, CancellationToken cancellationToken) =>
        (await LogInAsync(login, password, clientAddress, cancellationToken)).Result;

    /// <summary>
    /// One login attempt, counted and audited as <see cref="VerifyAsync"/>, with the session stamp a session it
    /// opens carries. Every attempt that does not log in spends the time of a password check, whatever it found
    /// (unknown, wrong, locked, a dead temporary password), so timing tells nothing the page does not.
    /// </summary>
    public async Task<LoginOutcome> LogInAsync(string login, string password, string? clientAddress, CancellationToken cancellationToken)
    {
        var attempt = await AttemptAsync(login, password, newPassword: null, cancellationToken);
        await audit.WriteAsync(timeProvider.GetUtcNow(), login, clientAddress, LoginAudit.LoginAction, attempt.Result.ToName(), cancellationToken);
        metrics.LoginAttempted(attempt.Result);
        // Only a login shaped like a phone number is logged: a password typed into the wrong field must not be.
        Log.LoginAttempted(logger, PhoneNumbers.IsNational(login) ? login : "(not a phone number)", attempt.Result.ToName(), clientAddress);
        return new(attempt.Result, attempt.SessionStamp);
    }

    /// <summary>
    /// Replaces the temporary password or the password with one the subscriber chose. The current one must log in
    /// (<see cref="LoginResult.TemporaryOk"/>, <see cref="LoginResult.Ok"/>, or a correct but expired password);
    /// that check counts like a login. A new password that breaks a rule is refused before any check. A change
    /// ends every session of the login: the answer carries the new session stamp.
    /// </summary>
    public async Task<PasswordChange> ChangePasswordAsync(
        string login, string currentPassword, string newPassword, string? clientAddress, CancellationToken cancellationToken)
    {
        if (LoginRules.CheckNewPassword(newPassword, currentPassword) is { } refused)
        {
            return new(refused, null);
        }
        var attempt = await AttemptAsync(login, currentPassword, newPassword, cancellationToken);
        var result = attempt.PasswordChanged ? PasswordChangeResult.Changed : attempt.Result switch
        {
            LoginResult.Unknown => PasswordChangeResult.Unknown,
            LoginResult.Locked => PasswordChangeResult.Locked,
            LoginResult.Expired => PasswordChangeResult.TemporaryPasswordExpired,
            _ => PasswordChangeResult.Wrong,
        };
        await audit.WriteAsync(timeProvider.GetUtcNow(), login, clientAddress, LoginAudit.ChangePasswordAction, result.ToName(), cancellationToken);
        return new(result, attempt.PasswordChanged ? attempt.SessionStamp : null);
    }

    /// <summary>
    /// Whether a session of <paramref name="login"/> that carries <paramref name="stamp"/> is still live: no new
    /// temporary password, password change, unit change, logout or revocation since it opened, the password not
    /// locked, a temporary password not dead. One read by primary key; counts nothing.
    /// </summary>
    public async Task<bool> IsSessionLiveAsync(string login, Guid stamp, CancellationToken cancellationToken) =>
        await CredentialRow.ReadAsync(dataSource, login, cancellationToken) is { } row && row.KeepsSession(stamp, timeProvider.GetUtcNow());

    // Only while the stamp is still the one the session carries: a logout never ends sessions opened after a reset.
    private const string EndSessionsSql = """
        UPDATE credentials SET session_stamp = gen_random_uuid(), version = version + 1, updated_at = @Now
        WHERE login_id = @Login AND session_stamp = @Stamp
        """;

    /// <summary>Logout: ends the session that carries <paramref name="stamp"/>, and with it every session of the login that carries it.</summary>
    public async Task EndSessionsAsync(string login, Guid stamp, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(EndSessionsSql, new { Login = login, Stamp = stamp, Now = timeProvider.GetUtcNow() },
            cancellationToken: cancellationToken));
    }

    /// <summary>The credential's state, or null when the login has none. Reads only: counts nothing.</summary>
    public async Task<CredentialState?> ShowAsync(string login, CancellationToken cancellationToken)
    {
        var row = await CredentialRow.ReadAsync(dataSource, login, cancellationToken);
        return row?.ToState(timeProvider.GetUtcNow());
    }

    private readonly record struct Attempt(LoginResult Result, bool PasswordChanged, Guid? SessionStamp = null);

    private async Task<Attempt> AttemptAsync(string login, string password, string? newPassword, CancellationToken cancellationToken)
    {
        for (var check = 1; check <= MaxChecks; check++)
        {
            if (await AttemptOnceAsync(login, password, newPassword, cancellationToken) is { } attempt)
            {
                return attempt;
            }
            Log.CredentialChangedDuringAttempt(logger, login);
        }
        // The secret was replaced under every check (a burst of calls setting this login): what was typed matched
        // no secret that still stands. Answer as a wrong password, uncounted, rather than fail the page.
        return new(LoginResult.Wrong, false);
    }

    // The rules, in order: unknown; locked, whatever was typed; a dead temporary password, whatever was typed;
    // then the password is checked: wrong is counted, right resets the counter. Null when the credential
    // changed between reading it and recording the attempt. The first three spend a check's time on nothing, as
    // slow as a real check, so that timing tells no one that a number has a credential, or in what state.
    private async Task<Attempt?> AttemptOnceAsync(string login, string password, string? newPassword, CancellationToken cancellationToken)
    {
        var row = PhoneNumbers.IsNational(login) ? await CredentialRow.ReadAsync(dataSource, login, cancellationToken) : null;
        var now = timeProvider.GetUtcNow();
        var refused = row is null ? LoginResult.Unknown
            : row.IsLocked ? LoginResult.Locked
            : row.HasTemporaryPassword && !row.IsTemporaryPasswordValid(now) ? LoginResult.Expired
            : (LoginResult?)null;
        if (refused is { } answer)
        {
            await hasher.SpendVerificationTimeAsync(password, cancellationToken);
            return new(answer, false);
        }
        if (!await hasher.VerifyAsync(password, row!.Secret, cancellationToken))
        {
            // The attempt that reaches a limit answers what the subscriber meets from now on.
            return await recorder.CountWrongAttemptAsync(row, cancellationToken) switch
            {
                null => null,
                { IsLocked: true } => new(LoginResult.Locked, false),
                { HasTemporaryPassword: true } counted when !counted.IsTemporaryPasswordValid(now) => new(LoginResult.Expired, false),
                _ => new(LoginResult.Wrong, false),
            };
        }
        // A login's session carries the stamp of the row the password was checked against: if a reset wrote a new
        // one meanwhile, that session has already ended. A change's session carries the stamp the change wrote.
        var stamp = newPassword is null
            ? await recorder.RecordSuccessAsync(row, await RehashIfOutdatedAsync(row, password, cancellationToken), cancellationToken) ? row.SessionStamp : (Guid?)null
            : await recorder.StorePasswordAsync(row, await hasher.HashAsync(newPassword, cancellationToken), cancellationToken);
        var result = row.HasTemporaryPassword ? LoginResult.TemporaryOk : row.IsPasswordExpired(now) ? LoginResult.Expired : LoginResult.Ok;
        return stamp is { } recorded ? new(result, newPassword is not null, recorded) : null;
    }

    // A password made with a retired pepper or fewer iterations is upgraded while its plain text is at hand.
    private async Task<string?> RehashIfOutdatedAsync(CredentialRow row, string password, CancellationToken cancellationToken) =>
        !row.HasTemporaryPassword && hasher.NeedsRehash(row.Secret) ? await hasher.HashAsync(password, cancellationToken) : null;
}
