using System.Reflection;
using Dapper;
using Npgsql;

namespace Ivr.Store;

/// <summary>
/// Creates and upgrades the schema from the versioned scripts in <c>Migrations/</c> (embedded), each applied
/// once, in order, in one transaction under an advisory lock, so two <c>ivr db migrate</c> at once are safe.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource)
{
    // Any fixed number works; it only has to be the same for every migrator.
    private const long AdvisoryLockKey = 0x1_7E_4A55;

    private const string CreateHistory = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     integer PRIMARY KEY,
            name        text NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        )
        """;

    /// <summary>The scripts shipped with this build, in order: (version, name, SQL).</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts();

    /// <summary>Applies what is missing; returns the names of the scripts applied now.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = AdvisoryLockKey }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(CreateHistory, transaction: transaction, cancellationToken: cancellationToken));
        var applied = (await connection.QueryAsync<int>(new CommandDefinition("SELECT version FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken))).ToHashSet();

        var appliedNow = new List<string>();
        foreach (var (version, name, sql) in Scripts.Where(script => !applied.Contains(script.Version)))
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name) VALUES (@version, @name)", new { version, name }, transaction, cancellationToken: cancellationToken));
            appliedNow.Add(name);
        }
        await transaction.CommitAsync(cancellationToken);
        return appliedNow;
    }

    private static List<(int, string, string)> LoadScripts()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "Ivr.Store.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(resource => resource.StartsWith(prefix, StringComparison.Ordinal) && resource.EndsWith(".sql", StringComparison.Ordinal))
            .Select(resource =>
            {
                var name = resource[prefix.Length..^".sql".Length];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
                return (int.Parse(name[..name.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture), name, reader.ReadToEnd());
            })
            .OrderBy(script => script.Item1)
            .ToList();
    }
}
