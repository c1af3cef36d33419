using Dapper;
using Ivr.CallFlow;
using Npgsql;

namespace Ivr.Store;

/// <summary>Where the IVR commits temporary passwords, and where anyone reads a credential's state.</summary>
public sealed class CredentialStore(NpgsqlDataSource dataSource, PasswordHasher hasher, TimeProvider time) : ICredentialStore
{
    // Locks both numbers' rows (and their contracts) for the rest of the transaction: a directory import that
    // would move them waits, so the rule checked here still holds when the credential is written (SPEC §3).
    private const string LockNumbersSql = """
        SELECT n.phone_number AS PhoneNumber, n.contract_id AS ContractId, n.subscribed AS Subscribed,
               c.active AS Active, c.main_number AS MainNumber
        FROM contract_numbers n JOIN contracts c USING (contract_id)
        WHERE n.phone_number = ANY(@numbers)
        FOR SHARE OF n, c
        """;

    private const string UpsertTemporaryPasswordSql = """
        INSERT INTO credentials (login_id, contract_id, unit, temporary_password_hash, temporary_password_set_at, created_at, updated_at)
        VALUES (@login, @contractId, @unit, @hash, @now, @now, @now)
        ON CONFLICT (login_id) DO UPDATE SET
            contract_id = EXCLUDED.contract_id,
            unit = EXCLUDED.unit,
            temporary_password_hash = EXCLUDED.temporary_password_hash,
            temporary_password_set_at = EXCLUDED.temporary_password_set_at,
            temporary_password_invalidated_at = NULL,
            password_hash = NULL,
            password_changed_at = NULL,
            failed_attempts = 0,
            locked_at = NULL,
            version = credentials.version + 1,
            updated_at = EXCLUDED.updated_at
        """;

    public async Task<CommitResult> SetTemporaryPasswordAsync(TemporaryPasswordRequest request, CancellationToken cancellationToken)
    {
        // The slow hash comes first, so it holds neither a connection nor a lock.
        var hash = await hasher.HashAsync(request.Password.Reveal(), cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var numbers = (await connection.QueryAsync<NumberRow>(new CommandDefinition(
            LockNumbersSql, new { numbers = new[] { request.Caller.Number, request.TargetNumber } }, transaction, cancellationToken: cancellationToken)))
            .ToDictionary(row => row.PhoneNumber);
        if (!IdentityRuleHolds(request, numbers))
        {
            return CommitResult.Refused;
        }
        await connection.ExecuteAsync(new CommandDefinition(UpsertTemporaryPasswordSql, new
        {
            login = request.TargetNumber,
            contractId = request.Caller.ContractId,
            unit = request.Unit.ToName(),
            hash,
            now = time.GetUtcNow(),
        }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return CommitResult.Committed;
    }

    // SPEC §3, as of now: the caller's line and the target are subscribed numbers of the same active contract,
    // the one the call started in, and the unit's own rule still holds.
    private static bool IdentityRuleHolds(TemporaryPasswordRequest request, Dictionary<string, NumberRow> numbers)
    {
        if (!numbers.TryGetValue(request.Caller.Number, out var caller) || !numbers.TryGetValue(request.TargetNumber, out var target))
        {
            return false;
        }
        var contract = request.Caller.ContractId;
        if (caller.ContractId != contract || target.ContractId != contract || !caller.Subscribed || !target.Subscribed || !caller.Active)
        {
            return false;
        }
        return request.Unit switch
        {
            SettingUnit.Line => request.TargetNumber == caller.MainNumber,
            SettingUnit.AdminUser when caller.PhoneNumber != caller.MainNumber => request.TargetNumber == caller.PhoneNumber,
            _ => true,
        };
    }

    private const string ShowSql = $"SELECT {CredentialRow.Columns} FROM credentials WHERE login_id = @login";

    /// <summary>The credential's state, or null when the login has none.</summary>
    public async Task<CredentialState?> ShowAsync(string login, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CredentialRow>(new CommandDefinition(ShowSql, new { login }, cancellationToken: cancellationToken));
        return row?.ToState(time.GetUtcNow());
    }

    private sealed class NumberRow
    {
        public string PhoneNumber { get; init; } = "";
        public string ContractId { get; init; } = "";
        public bool Subscribed { get; init; }
        public bool Active { get; init; }
        public string MainNumber { get; init; } = "";
    }
}
