using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ivr.Store;

/// <summary>
/// Creates and upgrades the schema (<c>ivr db migrate</c>) from the versioned scripts in <c>Migrations/</c>:
/// each missing one is applied in order, in a transaction of its own, and recorded in <c>schema_migrations</c>.
/// A session advisory lock makes two migrators at once safe: the second waits, then finds nothing to do.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    /// <summary>Every script this build carries, in version order.</summary>
    public static IReadOnlyList<MigrationScript> Scripts { get; } = MigrationScript.LoadEmbedded(Assembly.GetExecutingAssembly());

    // Two statements: a query naming a table that does not exist fails when it is parsed, whatever a CASE says.
    private const string HistoryExistsSql = "SELECT to_regclass('schema_migrations') IS NOT NULL";
    private const string AppliedVersionsSql = "SELECT version FROM schema_migrations";

    /// <summary>The scripts of this build the database has not applied (versions may be applied out of order, so every one is checked).</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var applied = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(HistoryExistsSql, cancellationToken: cancellationToken))
            ? (await connection.QueryAsync<int>(new CommandDefinition(AppliedVersionsSql, cancellationToken: cancellationToken))).ToHashSet()
            : [];
        return Scripts.Where(script => !applied.Contains(script.Version)).Select(script => script.Name).ToList();
    }

    private const string LockSql = "SELECT pg_advisory_lock(@Key)";
    private const string UnlockSql = "SELECT pg_advisory_unlock(@Key)";

    private const string CreateHistorySql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    private const string AppliedSql = "SELECT version AS Version, name AS Name, checksum AS Checksum FROM schema_migrations ORDER BY version";

    private const string RecordSql = "INSERT INTO schema_migrations (version, name, checksum) VALUES (@Version, @Name, @Checksum)";

    /// <summary>Applies the scripts the database lacks; returns their names (<c>0001_initial</c>), empty when it was up to date.</summary>
    /// <exception cref="InvalidOperationException">A script applied earlier differs from this build's copy.</exception>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var key = new { Key = AdvisoryLocks.Migrations };
        await connection.ExecuteAsync(new CommandDefinition(LockSql, key, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(CreateHistorySql, cancellationToken: cancellationToken));
            var applied = (await connection.QueryAsync<AppliedScript>(new CommandDefinition(AppliedSql, cancellationToken: cancellationToken)))
                .ToDictionary(script => script.Version);
            var appliedNow = new List<string>();
            foreach (var script in Scripts)
            {
                if (applied.TryGetValue(script.Version, out var earlier))
                {
                    CheckUnchanged(script, earlier);
                    continue;
                }
                await ApplyAsync(connection, script, cancellationToken);
                Log.MigrationApplied(logger, script.Name);
                appliedNow.Add(script.Name);
            }
            return appliedNow;
        }
        finally
        {
            // Not cancellable: a pooled connection must not go back with the lock held.
            await connection.ExecuteAsync(new CommandDefinition(UnlockSql, key, cancellationToken: CancellationToken.None));
        }
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(RecordSql, new { script.Version, script.Name, script.Checksum }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    // An applied script is history: editing it would leave databases that ran the old text silently different.
    private static void CheckUnchanged(MigrationScript script, AppliedScript earlier)
    {
        if (earlier.Checksum != script.Checksum)
        {
            throw new InvalidOperationException(
                $"migration {earlier.Name} was changed after it was applied; add a new migration instead of editing it");
        }
    }

    private sealed record AppliedScript(int Version, string Name, string Checksum);
}
