using Dapper;
using Ivr.Domain;
using Npgsql;

namespace Ivr.Store;

/// <summary>The contract directory: who may call (SPEC §2 step 1), which numbers they may set (step 3), and its import (§6).</summary>
public sealed class ContractDirectory(NpgsqlDataSource dataSource, DatabaseSteps steps) : IContractDirectory
{
    // Every call's first question, so it is asked the cheapest way Npgsql has: a positional parameter (no rewriting of
    // the text per call) and the three columns read in order (no mapping), on a statement prepared once per pooled
    // connection.
    private const string FindCallerLineSql = """
        SELECT n.phone_number, n.contract_id, c.main_number
        FROM contract_numbers AS n
        JOIN contracts AS c ON c.contract_id = n.contract_id
        WHERE n.phone_number = $1 AND n.subscribed AND c.active
        """;

    public Task<CallerLine?> FindCallerLineAsync(string number, CancellationToken cancellationToken) =>
        steps.RunAsync("caller-check", async token =>
        {
            await using var command = dataSource.CreateCommand(FindCallerLineSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = number });
            await using var reader = await command.ExecuteReaderAsync(token);
            return await reader.ReadAsync(token) ? new CallerLine(reader.GetString(0), reader.GetString(1), reader.GetString(2)) : null;
        }, cancellationToken);

    private const string IsSubscribedNumberOfContractSql = """
        SELECT EXISTS (
            SELECT 1 FROM contract_numbers
            WHERE phone_number = @Number AND contract_id = @ContractId AND subscribed)
        """;

    public Task<bool> IsSubscribedNumberOfContractAsync(string contractId, string number, CancellationToken cancellationToken) =>
        steps.RunAsync("number-check", async token =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(token);
            return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                IsSubscribedNumberOfContractSql, new { Number = number, ContractId = contractId }, cancellationToken: token));
        }, cancellationToken);

    private const string LockImportsSql = "SELECT pg_advisory_xact_lock(@Key)";

    // `xmax = 0` holds for a row version this statement inserted, not for one it updated: the usual PostgreSQL
    // way to tell the two apart in an upsert. Unchanged rows are not updated, so they are not returned.
    private const string UpsertContractsSql = """
        INSERT INTO contracts AS c (contract_id, main_number, active)
        SELECT * FROM unnest(@ContractIds::text[], @MainNumbers::text[], @Actives::boolean[])
        ON CONFLICT (contract_id) DO UPDATE
        SET main_number = EXCLUDED.main_number, active = EXCLUDED.active, updated_at = now()
        WHERE (c.main_number, c.active) IS DISTINCT FROM (EXCLUDED.main_number, EXCLUDED.active)
        RETURNING (c.xmax = 0) AS inserted
        """;

    // A contract has one main number: the one it had becomes additional before the new one is written.
    private const string DemoteFormerMainNumbersSql = """
        UPDATE contract_numbers AS n
        SET kind = 'additional', updated_at = now()
        FROM unnest(@ContractIds::text[], @MainNumbers::text[]) AS m (contract_id, main_number)
        WHERE n.contract_id = m.contract_id AND n.kind = 'main' AND n.phone_number <> m.main_number
        RETURNING n.phone_number
        """;

    private const string UpsertNumbersSql = """
        INSERT INTO contract_numbers AS n (phone_number, contract_id, kind, subscribed)
        SELECT * FROM unnest(@PhoneNumbers::text[], @ContractIds::text[], @Kinds::text[], @Subscribed::boolean[])
        ON CONFLICT (phone_number) DO UPDATE
        SET contract_id = EXCLUDED.contract_id, kind = EXCLUDED.kind, subscribed = EXCLUDED.subscribed, updated_at = now()
        WHERE (n.contract_id, n.kind, n.subscribed) IS DISTINCT FROM (EXCLUDED.contract_id, EXCLUDED.kind, EXCLUDED.subscribed)
        RETURNING n.phone_number AS PhoneNumber, (n.xmax = 0) AS Inserted
        """;

    // A number that moved to another contract takes no credential with it: its new contract's subscriber must
    // set one by phone (SPEC §3). The schema's deferred foreign key would refuse the import otherwise.
    private const string RevokeMovedCredentialsSql = """
        DELETE FROM credentials AS c
        USING contract_numbers AS n
        WHERE n.phone_number = c.login_id AND n.contract_id <> c.contract_id
        """;

    private const string ContractWithoutMainNumberSql = """
        SELECT c.contract_id
        FROM contracts AS c
        WHERE NOT EXISTS (
            SELECT 1 FROM contract_numbers AS n
            WHERE n.phone_number = c.main_number AND n.contract_id = c.contract_id AND n.kind = 'main')
        ORDER BY c.contract_id
        LIMIT 1
        """;

    /// <summary>
    /// Inserts or updates the contracts and numbers of <paramref name="rows"/> in one transaction; numbers and
    /// contracts not listed are left as they are. Idempotent. Imports run one at a time.
    /// </summary>
    /// <exception cref="ArgumentException">The rows break a rule of <see cref="DirectoryCsv"/> (one-line message naming the row).</exception>
    /// <exception cref="DirectoryImportException">The import would leave a contract without its main number.</exception>
    public async Task<DirectoryImportResult> ImportAsync(IReadOnlyList<DirectoryRow> rows, CancellationToken cancellationToken)
    {
        if (DirectoryRules.FindProblem(rows, index => $"row {index + 1}") is { } problem)
        {
            throw new ArgumentException($"row {problem.Index + 1}: {problem.Message}");
        }
        // Sorted, so that concurrent writers meet the rows in one order and cannot deadlock on them.
        var contracts = rows.Where(row => row.Kind == NumberKind.Main).OrderBy(row => row.ContractId, StringComparer.Ordinal).ToList();
        var numbers = rows.OrderBy(row => row.PhoneNumber, StringComparer.Ordinal).ToList();
        var contractParameters = new
        {
            ContractIds = contracts.Select(row => row.ContractId).ToArray(),
            MainNumbers = contracts.Select(row => row.PhoneNumber).ToArray(),
            Actives = contracts.Select(row => row.Active).ToArray(),
        };

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        CommandDefinition Command(string sql, object? parameters = null) => new(sql, parameters, transaction, cancellationToken: cancellationToken);

        await connection.ExecuteAsync(Command(LockImportsSql, new { Key = AdvisoryLocks.DirectoryImport }));
        var contractsInserted = (await connection.QueryAsync<bool>(Command(UpsertContractsSql, contractParameters))).ToList();
        var demoted = await connection.QueryAsync<string>(Command(DemoteFormerMainNumbersSql, contractParameters));
        var numberChanges = (await connection.QueryAsync<NumberChange>(Command(UpsertNumbersSql, new
        {
            PhoneNumbers = numbers.Select(row => row.PhoneNumber).ToArray(),
            ContractIds = numbers.Select(row => row.ContractId).ToArray(),
            Kinds = numbers.Select(row => row.Kind.ToName()).ToArray(),
            Subscribed = numbers.Select(row => row.Subscribed).ToArray(),
        }))).ToList();
        var revoked = await connection.ExecuteAsync(Command(RevokeMovedCredentialsSql));
        if (await connection.QueryFirstOrDefaultAsync<string>(Command(ContractWithoutMainNumberSql)) is { } orphan)
        {
            throw new DirectoryImportException(
                $"contract {orphan} would be left without its main number; list its new main number in the same file");
        }
        await transaction.CommitAsync(cancellationToken);

        var numbersInserted = numberChanges.Where(change => change.Inserted).Select(change => change.PhoneNumber);
        var numbersUpdated = numberChanges.Where(change => !change.Inserted).Select(change => change.PhoneNumber).Union(demoted);
        return new DirectoryImportResult(
            ContractsInserted: contractsInserted.Count(inserted => inserted),
            ContractsUpdated: contractsInserted.Count(inserted => !inserted),
            NumbersInserted: numbersInserted.Count(),
            NumbersUpdated: numbersUpdated.Count(),
            CredentialsRevoked: revoked);
    }

    private sealed record NumberChange(string PhoneNumber, bool Inserted);
}
