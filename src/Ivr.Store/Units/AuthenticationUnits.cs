using Dapper;
using Ivr.Domain;
using Npgsql;

namespace Ivr.Store;

/// <summary>
/// Changing a contract's authentication unit from the website (issue 7): line ↔ number ↔ admin/user. Moving to the
/// line unit merges every credential of the contract into one, the main number's, and asks for the password of each
/// number merged; the merged login keeps the password used at this login.
/// </summary>
/// <remarks>
/// Every password given here is checked as a login attempt of <see cref="WebsiteLogin"/> (counted, audited, refused
/// while locked or dead), so this page is no way around the login's limits. The checks run before the transaction
/// (the slow hash holds no lock); the transaction then proves that the credentials it replaces are the ones read.
/// </remarks>
public sealed class AuthenticationUnits(NpgsqlDataSource dataSource, PasswordHasher hasher, TimeProvider timeProvider)
{
    private const string ContractCredentialsSql = $"""
        SELECT {CredentialRow.Columns} FROM credentials
        WHERE contract_id = (SELECT contract_id FROM credentials WHERE login_id = @Login)
        ORDER BY login_id
        """;

    private const string MainNumberSql = "SELECT main_number FROM contracts WHERE contract_id = @ContractId";

    private const string DeleteContractSql = "DELETE FROM credentials WHERE contract_id = @ContractId RETURNING login_id AS LoginId, version AS Version";

    private const string InsertLineSql = """
        INSERT INTO credentials (login_id, contract_id, unit, password_hash, password_changed_at, version, created_at, updated_at)
        VALUES (@Login, @ContractId, 'line', @Hash, @ChangedAt, @Version, @Now, @Now)
        """;

    private const string RelabelSql = """
        UPDATE credentials SET unit = @Unit, version = version + 1, updated_at = @Now
        WHERE contract_id = @ContractId AND (login_id = @Login OR @WholeContract)
        """;

    private readonly WebsiteLogin _login = new(dataSource, hasher, timeProvider);

    /// <summary>The other logins of the login's contract, whose passwords a move to the line unit needs.</summary>
    public async Task<IReadOnlyList<string>> NumbersToMergeAsync(string login, CancellationToken cancellationToken) =>
        (await ReadContractAsync(login, cancellationToken)).Select(row => row.LoginId).Where(id => id != login).ToList();

    /// <summary>Moves the login's contract to <paramref name="unit"/>; the login id afterwards is in the answer.</summary>
    /// <param name="password">This login's password (a chosen one: a temporary or expired one must be changed first).</param>
    /// <param name="mergedPasswords">For a move to the line unit, the password (or valid temporary password) of each number merged.</param>
    /// <param name="clientAddress">For the login audit rows of the checks.</param>
    public async Task<UnitChange> ChangeAsync(
        string login, string password, SettingUnit unit, IReadOnlyDictionary<string, string> mergedPasswords, string? clientAddress,
        CancellationToken cancellationToken)
    {
        var own = await _login.VerifyAsync(login, password, clientAddress, cancellationToken);
        if (own != LoginResult.Ok)
        {
            return new UnitChange(own switch
            {
                LoginResult.Wrong => UnitChangeResult.Wrong,
                LoginResult.Locked => UnitChangeResult.Locked,
                LoginResult.Unknown => UnitChangeResult.Unknown,
                _ => UnitChangeResult.PasswordRequired,
            });
        }
        var proved = new List<string> { login };
        if (unit == SettingUnit.Line)
        {
            foreach (var other in await NumbersToMergeAsync(login, cancellationToken))
            {
                if (!await ProvesAsync(other, mergedPasswords, clientAddress, cancellationToken))
                {
                    return new UnitChange(UnitChangeResult.MergedPasswordWrong, RefusedNumber: other);
                }
                proved.Add(other);
            }
        }

        var rows = await ReadContractAsync(login, cancellationToken);
        var me = rows.FirstOrDefault(row => row.LoginId == login);
        if (me is null || (unit == SettingUnit.Line && !rows.Select(row => row.LoginId).Order().SequenceEqual(proved.Order())))
        {
            // A number joined or left the contract's credentials since the checks: nothing unproved is merged.
            return new UnitChange(UnitChangeResult.Conflict);
        }
        var hash = unit == SettingUnit.Line ? await hasher.HashAsync(password, cancellationToken) : null;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        string newLogin;
        if (unit == SettingUnit.Line)
        {
            var main = await connection.ExecuteScalarAsync<string>(new CommandDefinition(MainNumberSql, new { me.ContractId }, transaction, cancellationToken: cancellationToken));
            var deleted = (await connection.QueryAsync<(string LoginId, long Version)>(new CommandDefinition(DeleteContractSql, new { me.ContractId }, transaction, cancellationToken: cancellationToken))).ToList();
            if (!deleted.OrderBy(d => d.LoginId).SequenceEqual(rows.Select(row => (row.LoginId, row.Version))))
            {
                return new UnitChange(UnitChangeResult.Conflict); // rolled back on dispose
            }
            newLogin = main!;
            await connection.ExecuteAsync(new CommandDefinition(InsertLineSql, new
            {
                Login = newLogin, me.ContractId, Hash = hash, ChangedAt = Timestamps.FromDatabase(me.PasswordChangedAt), Version = rows.Max(row => row.Version) + 1, Now = now,
            }, transaction, cancellationToken: cancellationToken));
        }
        else
        {
            // From the line unit, the main number's credential takes the new unit and keeps its login id; between
            // number and admin/user, every credential of the contract changes its label.
            newLogin = login;
            await connection.ExecuteAsync(new CommandDefinition(RelabelSql, new
            {
                Unit = unit.ToName(), me.ContractId, Login = login, WholeContract = me.Unit != SettingUnit.Line.ToName(), Now = now,
            }, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        return new UnitChange(UnitChangeResult.Changed, newLogin);
    }

    // A number merged is proved as its owner would log in: by its password or a temporary password still valid.
    private async Task<bool> ProvesAsync(string number, IReadOnlyDictionary<string, string> passwords, string? clientAddress, CancellationToken cancellationToken) =>
        passwords.TryGetValue(number, out var password) && !string.IsNullOrEmpty(password)
        && await _login.VerifyAsync(number, password, clientAddress, cancellationToken) is LoginResult.Ok or LoginResult.TemporaryOk;

    private async Task<List<CredentialRow>> ReadContractAsync(string login, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<CredentialRow>(new CommandDefinition(ContractCredentialsSql, new { Login = login }, cancellationToken: cancellationToken))).ToList();
    }
}
