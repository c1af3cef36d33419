using Dapper;
using Npgsql;

namespace Ivr.Store;

/// <summary>The website login audit trail (issue 7): one row per attempt that checked a password, written by <see cref="WebsiteLogin"/>.</summary>
public sealed class LoginAudit(NpgsqlDataSource dataSource)
{
    public const string LoginAction = "login";
    public const string ChangePasswordAction = "change-password";

    /// <summary>Room for any IPv6 address with its zone; what is longer is cut, so a caller cannot grow the table at will.</summary>
    public const int MaxClientAddressLength = 64;

    private const string InsertSql = """
        INSERT INTO website_login_audit (attempted_at, login_id, client_address, action, result)
        VALUES (@AttemptedAt, @Login, @ClientAddress, @Action, @Result)
        """;

    internal async Task WriteAsync(
        DateTimeOffset attemptedAt, string login, string? clientAddress, string action, string result, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            AttemptedAt = attemptedAt,
            Login = PhoneNumbers.IsNational(login) ? login : null,
            ClientAddress = clientAddress is { Length: > MaxClientAddressLength } ? clientAddress[..MaxClientAddressLength] : clientAddress,
            Action = action,
            Result = result,
        }, cancellationToken: cancellationToken));
    }

    private const string TailSql = """
        SELECT AttemptId, AttemptedAt, Login, ClientAddress, Action, Result
        FROM (
            SELECT attempt_id AS AttemptId, attempted_at AS AttemptedAt, login_id AS Login, client_address AS ClientAddress,
                   action AS Action, result AS Result
            FROM website_login_audit
            WHERE @Login::text IS NULL OR login_id = @Login
            ORDER BY attempt_id DESC
            LIMIT @Count) AS newest
        ORDER BY AttemptId
        """;

    /// <summary>The last <paramref name="count"/> attempts, of one login when <paramref name="login"/> is given, newest last.</summary>
    public async Task<IReadOnlyList<LoginAuditRow>> TailAsync(int count, string? login, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredRow>(new CommandDefinition(TailSql, new { Count = count, Login = login }, cancellationToken: cancellationToken));
        return rows.Select(row => new LoginAuditRow(
            row.AttemptId, Timestamps.FromDatabase(row.AttemptedAt), row.Login, row.ClientAddress, row.Action, row.Result)).ToList();
    }

    private sealed class StoredRow
    {
        public long AttemptId { get; init; }
        public DateTime AttemptedAt { get; init; }
        public string? Login { get; init; }
        public string? ClientAddress { get; init; }
        public string Action { get; init; } = "";
        public string Result { get; init; } = "";
    }
}
