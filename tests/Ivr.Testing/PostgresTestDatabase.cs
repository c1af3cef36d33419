using Ivr.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ivr.Testing;

/// <summary>
/// A fresh, uniquely named database on the throwaway PostgreSQL server that <c>./scripts/test.sh</c> starts
/// (found through <c>IVR_TEST_POSTGRES</c>), migrated unless asked otherwise, and dropped on dispose.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string ServerVariable = "IVR_TEST_POSTGRES";

    private readonly string _server;

    private PostgresTestDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>One pooled data source over the database, as a process of ours has.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The server's connection string (no database), from <c>IVR_TEST_POSTGRES</c>; fails the test when it is not set.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server ? server
        : throw new AssertionException($"{ServerVariable} is not set: run the tests with ./scripts/test.sh, which starts a throwaway PostgreSQL");

    /// <summary>Creates the database; applies every migration unless <paramref name="migrate"/> is false.</summary>
    public static Task<PostgresTestDatabase> CreateAsync(bool migrate = true, CancellationToken cancellationToken = default) =>
        CreateAsync(ServerConnectionString, migrate, cancellationToken);

    /// <summary>Creates the database on a given server (a cluster the test owns, for the fault tests).</summary>
    public static async Task<PostgresTestDatabase> CreateAsync(string server, bool migrate = true, CancellationToken cancellationToken = default)
    {
        var database = new PostgresTestDatabase(server, $"ivr_test_{Guid.NewGuid():N}");
        await database.RunOnServerAsync($"CREATE DATABASE {database.Name}", cancellationToken);
        if (migrate)
        {
            // The fixture only lays the schema; the store under test is composed, with its loggers, by TestStore.
            await new Migrator(database.DataSource, NullLogger<Migrator>.Instance).MigrateAsync(cancellationToken);
        }
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        // FORCE ends sessions a test left behind (another data source, a cancelled command).
        await RunOnServerAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", CancellationToken.None);
    }

    private async Task RunOnServerAsync(string sql, CancellationToken cancellationToken)
    {
        // Pooling off: the server connection must not linger in a pool and keep the database in use.
        var server = new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
