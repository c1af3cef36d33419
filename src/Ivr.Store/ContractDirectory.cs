using Dapper;
using Ivr.CallFlow;
using Npgsql;

namespace Ivr.Store;

/// <summary>The contract directory: who may call, which numbers they may set, and its import.</summary>
public sealed class ContractDirectory(NpgsqlDataSource dataSource) : IContractDirectory
{
    private const string FindCallerLineSql = """
        SELECT n.phone_number AS Number, c.contract_id AS ContractId, c.main_number AS MainNumber
        FROM contract_numbers n JOIN contracts c USING (contract_id)
        WHERE n.phone_number = @number AND n.subscribed AND c.active
        """;

    public async Task<CallerLine?> FindCallerLineAsync(string number, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<LineRow>(new CommandDefinition(FindCallerLineSql, new { number }, cancellationToken: cancellationToken));
        return row is null ? null : new CallerLine(row.Number, row.ContractId, row.MainNumber);
    }

    private const string IsSubscribedNumberOfContractSql = """
        SELECT EXISTS (
            SELECT 1 FROM contract_numbers n JOIN contracts c USING (contract_id)
            WHERE n.phone_number = @number AND n.contract_id = @contractId AND n.subscribed AND c.active)
        """;

    public async Task<bool> IsSubscribedNumberOfContractAsync(string contractId, string number, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(IsSubscribedNumberOfContractSql, new { contractId, number }, cancellationToken: cancellationToken));
    }

    private const string UpsertContractsSql = """
        INSERT INTO contracts (contract_id, main_number, active)
        SELECT * FROM unnest(@ids::text[], @mainNumbers::text[], @actives::boolean[])
        ON CONFLICT (contract_id) DO UPDATE SET main_number = EXCLUDED.main_number, active = EXCLUDED.active
        WHERE (contracts.main_number, contracts.active) IS DISTINCT FROM (EXCLUDED.main_number, EXCLUDED.active)
        """;

    private const string UpsertNumbersSql = """
        INSERT INTO contract_numbers (phone_number, contract_id, kind, subscribed)
        SELECT * FROM unnest(@numbers::text[], @contractIds::text[], @kinds::text[], @subscribeds::boolean[])
        ON CONFLICT (phone_number) DO UPDATE SET contract_id = EXCLUDED.contract_id, kind = EXCLUDED.kind, subscribed = EXCLUDED.subscribed
        WHERE (contract_numbers.contract_id, contract_numbers.kind, contract_numbers.subscribed)
              IS DISTINCT FROM (EXCLUDED.contract_id, EXCLUDED.kind, EXCLUDED.subscribed)
        """;

    /// <summary>Inserts or updates every contract and number in one transaction; returns how many rows changed.</summary>
    public async Task<DirectoryImportResult> ImportAsync(IReadOnlyList<DirectoryRow> rows, CancellationToken cancellationToken)
    {
        var contracts = rows.Where(row => row.Kind == NumberKind.Main).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var contractsChanged = await connection.ExecuteAsync(new CommandDefinition(UpsertContractsSql, new
        {
            ids = contracts.Select(row => row.ContractId).ToArray(),
            mainNumbers = contracts.Select(row => row.PhoneNumber).ToArray(),
            actives = contracts.Select(row => row.Active).ToArray(),
        }, transaction, cancellationToken: cancellationToken));
        var numbersChanged = await connection.ExecuteAsync(new CommandDefinition(UpsertNumbersSql, new
        {
            numbers = rows.Select(row => row.PhoneNumber).ToArray(),
            contractIds = rows.Select(row => row.ContractId).ToArray(),
            kinds = rows.Select(row => row.Kind == NumberKind.Main ? "main" : "additional").ToArray(),
            subscribeds = rows.Select(row => row.Subscribed).ToArray(),
        }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new DirectoryImportResult(contracts.Count, rows.Count, contractsChanged, numbersChanged);
    }

    private sealed class LineRow
    {
        public string Number { get; init; } = "";
        public string ContractId { get; init; } = "";
        public string MainNumber { get; init; } = "";
    }
}
