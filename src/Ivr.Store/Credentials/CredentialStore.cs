using Dapper;
using Ivr.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ivr.Store;

/// <summary>Where the IVR commits a confirmed temporary password (SPEC §2 step 6), re-checking the identity rule inside the commit (SPEC §3).</summary>
public sealed class CredentialStore(
    NpgsqlDataSource dataSource, PasswordHasher hasher, IOptions<PasswordHashingOptions> hashing, DatabaseSteps steps, TimeProvider timeProvider,
    ILogger<CredentialStore> logger) : ICredentialStore
{
    private readonly TimeSpan _maxHashWait = hashing.Value.MaxWait;

    // FOR SHARE: a directory import that would move, unsubscribe or deactivate these rows waits for this commit,
    // and this commit waits for an import in progress, so the rule checked below still holds when the credential
    // is written. Contract first, then numbers in key order: the order an import takes them in.
    private const string LockContractSql = """
        SELECT main_number AS MainNumber, active AS Active
        FROM contracts
        WHERE contract_id = @ContractId
        FOR SHARE
        """;

    private const string LockNumbersSql = """
        SELECT phone_number AS PhoneNumber, contract_id AS ContractId, subscribed AS Subscribed
        FROM contract_numbers
        WHERE phone_number IN (@CallerNumber, @TargetNumber)
        ORDER BY phone_number
        FOR SHARE
        """;

    // A temporary password replaces whatever the login had: the old temporary password, the chosen password,
    // the counters and the lock (SPEC §4). Concurrent commits for one login serialise on its row; the last wins.
    private const string UpsertTemporaryPasswordSql = """
        INSERT INTO credentials AS c (
            login_id, contract_id, unit, temporary_password_hash, temporary_password_set_at, temporary_password_set_by_call,
            created_at, updated_at)
        VALUES (@Login, @ContractId, @Unit, @Hash, @Now, @CallId, @Now, @Now)
        ON CONFLICT (login_id) DO UPDATE SET
            contract_id = EXCLUDED.contract_id,
            unit = EXCLUDED.unit,
            temporary_password_hash = EXCLUDED.temporary_password_hash,
            temporary_password_set_at = EXCLUDED.temporary_password_set_at,
            temporary_password_set_by_call = EXCLUDED.temporary_password_set_by_call,
            temporary_password_invalidated_at = NULL,
            password_hash = NULL,
            password_changed_at = NULL,
            failed_attempts = 0,
            locked_at = NULL,
            version = c.version + 1,
            updated_at = EXCLUDED.updated_at
        """;

    public async Task<TemporaryPasswordHash> HashAsync(TemporaryPassword password, CancellationToken cancellationToken)
    {
        // The slow hash holds neither a pooled connection nor a row lock.
        var hash = await hasher.TryHashAsync(password.Reveal(), _maxHashWait, cancellationToken);
        if (hash is null)
        {
            Log.HashingBusy(logger, _maxHashWait, hasher.Waiting);
            throw new CallFailureException(SystemErrorCause.HashingBusy, $"no hashing slot came free within {_maxHashWait}");
        }
        return new TemporaryPasswordHash(hash);
    }

    public Task<CommitResult> SetTemporaryPasswordAsync(TemporaryPasswordRequest request, CancellationToken cancellationToken) =>
        steps.RunAsync("commit", token => CommitAsync(request, token), cancellationToken);

    private async Task<CommitResult> CommitAsync(TemporaryPasswordRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        CommandDefinition Command(string sql, object parameters) => new(sql, parameters, transaction, cancellationToken: cancellationToken);

        var contract = await connection.QuerySingleOrDefaultAsync<IdentityRule.LockedContract>(
            Command(LockContractSql, new { request.Caller.ContractId }));
        var numbers = (await connection.QueryAsync<IdentityRule.LockedNumber>(
            Command(LockNumbersSql, new { CallerNumber = request.Caller.Number, request.TargetNumber }))).ToList();
        if (IdentityRule.FindRefusal(request, contract, numbers) is { } refusal)
        {
            Log.CommitRefused(logger, request.CallId, request.TargetNumber, request.Unit, request.Caller.Number, refusal);
            return CommitResult.Refused(refusal); // the transaction is rolled back on dispose: nothing written
        }
        await connection.ExecuteAsync(Command(UpsertTemporaryPasswordSql, new
        {
            Login = request.TargetNumber,
            request.Caller.ContractId,
            Unit = request.Unit.ToName(),
            Hash = request.Hash.Value,
            Now = timeProvider.GetUtcNow(),
            request.CallId,
        }));
        await transaction.CommitAsync(cancellationToken);
        Log.TemporaryPasswordSet(logger, request.CallId, request.TargetNumber, request.Unit, request.Caller.Number);
        return CommitResult.Committed;
    }
}
