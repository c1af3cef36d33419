using Ivr.Cli.Composition;
using Ivr.Store;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Ivr.Cli.Tests.Support;

/// <summary>
/// A fresh database on the throwaway PostgreSQL that <c>./scripts/test.sh</c> starts (<c>IVR_TEST_POSTGRES</c>),
/// migrated and loaded with a directory, dropped afterwards.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _name;

    private TestDatabase(string server, string name)
    {
        _server = server;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    public static Task<TestDatabase> CreateAsync(string? directoryCsv = null) =>
        CreateAsync(directoryCsv, Environment.GetEnvironmentVariable("IVR_TEST_POSTGRES")
            ?? throw new InvalidOperationException("IVR_TEST_POSTGRES is not set: run the tests with ./scripts/test.sh, which starts PostgreSQL"));

    /// <summary>A database on a given server (a cluster the test owns, for the fault tests).</summary>
    public static async Task<TestDatabase> CreateAsync(string? directoryCsv, string server)
    {
        var database = new TestDatabase(server, $"ivr_test_{Guid.NewGuid():N}");
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database._name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        await using var store = StoreConnection.Open(database.Configuration());
        await store.Migrator.MigrateAsync(CancellationToken.None);
        if (directoryCsv is not null)
        {
            using var reader = new StreamReader(directoryCsv);
            await store.Directory.ImportAsync(DirectoryCsv.Parse(reader), CancellationToken.None);
        }
        return database;
    }

    /// <summary>The configuration <c>ivr</c> would read, for this database, a fresh pepper and a fast hash.</summary>
    public IConfiguration Configuration(IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database"] = ConnectionString,
            ["Pepper"] = TestPepper,
            ["HashIterations"] = "10000",
            ["Listen"] = "127.0.0.1:0",
            ["AgiAllow"] = "127.0.0.1/8",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private static readonly string TestPepper = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
