using Dapper;
using Ivr.CallFlow;
using Npgsql;

namespace Ivr.Store;

/// <summary>
/// Changing a contract's authentication unit from the website (issue 7): line ↔ number ↔ admin/user. Moving to the
/// line unit merges every credential of the contract into one, the main number's, and asks for the password of each
/// number merged; the merged login keeps the password used at this login. Passwords are checked before the
/// transaction (the slow hash holds no lock); the transaction then proves nothing changed meanwhile.
/// </summary>
public sealed class AuthenticationUnits(NpgsqlDataSource dataSource, PasswordHasher hasher, TimeProvider timeProvider)
{
    private const string ContractCredentialsSql = $"""
        SELECT {CredentialRow.Columns} FROM credentials
        WHERE contract_id = (SELECT contract_id FROM credentials WHERE login_id = @Login)
        ORDER BY login_id
        """;

    /// <summary>The other logins of the login's contract, whose passwords a move to the line unit needs.</summary>
    public async Task<IReadOnlyList<string>> NumbersToMergeAsync(string login, CancellationToken cancellationToken) =>
        (await ReadContractAsync(login, cancellationToken)).Select(row => row.LoginId).Where(id => id != login).ToList();

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

    public async Task<UnitChange> ChangeAsync(
        string login, string password, SettingUnit unit, IReadOnlyDictionary<string, string> mergedPasswords, CancellationToken cancellationToken)
    {
        var rows = await ReadContractAsync(login, cancellationToken);
        var me = rows.FirstOrDefault(row => row.LoginId == login);
        if (me is null)
        {
            return new UnitChange(UnitChangeResult.Unknown);
        }
        if (me.PasswordHash is null || me.IsLocked)
        {
            return new UnitChange(UnitChangeResult.PasswordRequired);
        }
        if (!await hasher.VerifyAsync(password, me.PasswordHash, cancellationToken))
        {
            return new UnitChange(UnitChangeResult.Wrong);
        }
        if (unit == SettingUnit.Line)
        {
            foreach (var other in rows.Where(row => row.LoginId != login))
            {
                if (!mergedPasswords.TryGetValue(other.LoginId, out var otherPassword) || !await hasher.VerifyAsync(otherPassword, other.Secret, cancellationToken))
                {
                    return new UnitChange(UnitChangeResult.MergedPasswordWrong, RefusedNumber: other.LoginId);
                }
            }
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

    private async Task<List<CredentialRow>> ReadContractAsync(string login, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<CredentialRow>(new CommandDefinition(ContractCredentialsSql, new { Login = login }, cancellationToken: cancellationToken))).ToList();
    }
}
