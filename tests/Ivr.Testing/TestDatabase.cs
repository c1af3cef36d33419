using Ivr.Store;
using Microsoft.Extensions.Configuration;

namespace Ivr.Testing;

/// <summary>A fresh migrated database (<see cref="PostgresTestDatabase"/>), optionally loaded with a directory, and the configuration <c>ivr</c> would read for it.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly string TestPepper = TestHashing.NewPepper();

    private readonly PostgresTestDatabase _database;

    private TestDatabase(PostgresTestDatabase database)
    {
        _database = database;
        AuditSpool = Path.Combine(RepositoryPaths.Root, ".tmp", "audit-spool", database.Name);
    }

    /// <summary>This database's own audit spool: a server's waiting rows must never drain into another test's database.</summary>
    public string AuditSpool { get; }

    public static Task<TestDatabase> CreateAsync(string? directoryCsv = null) =>
        CreateAsync(directoryCsv, PostgresTestDatabase.ServerConnectionString);

    /// <summary>A database on a given server (a cluster the test owns, for the fault tests).</summary>
    public static async Task<TestDatabase> CreateAsync(string? directoryCsv, string server)
    {
        var database = await PostgresTestDatabase.CreateAsync(server);
        if (directoryCsv is not null)
        {
            await using var store = StoreServices.Compose(TestServices.Configuration(database.ConnectionString));
            await DirectoryFixture.LoadAsync(store.Directory, directoryCsv);
        }
        return new TestDatabase(database);
    }

    /// <summary>The configuration <c>ivr</c> would read, for this database, a test pepper and a fast hash.</summary>
    public IConfiguration Configuration(IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database"] = _database.ConnectionString,
            ["Pepper"] = TestPepper,
            ["HashIterations"] = "10000",
            ["Listen"] = "127.0.0.1:0",
            ["AgiAllow"] = "127.0.0.1/8",
            ["OperationsListen"] = "off",
            ["AuditSpool"] = AuditSpool,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(AuditSpool))
        {
            Directory.Delete(AuditSpool, recursive: true);
        }
    }
}
