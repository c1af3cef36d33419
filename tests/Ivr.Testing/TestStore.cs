using Ivr.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Ivr.Testing;

/// <summary>
/// Every store class over one fresh test database, composed as the programs compose them (<c>AddIvrStore</c>),
/// sharing one fake clock and fast hashing. The directory is empty until <see cref="LoadDirectoryAsync"/>.
/// </summary>
public sealed class TestStore : StoreServices
{
    private TestStore(PostgresTestDatabase database, FakeTimeProvider clock, IReadOnlyDictionary<string, string?>? settings, ILoggerProvider? logs)
        : base(TestServices.Store(TestServices.Configuration(database.ConnectionString, settings), clock, logs))
    {
        Database = database;
        Clock = clock;
    }

    public PostgresTestDatabase Database { get; }
    public FakeTimeProvider Clock { get; }

    /// <summary>A migrated database and the store over it; <paramref name="settings"/> override the test configuration's keys.</summary>
    public static async Task<TestStore> CreateAsync(
        IReadOnlyDictionary<string, string?>? settings = null, ILoggerProvider? logs = null, CancellationToken cancellationToken = default) =>
        new(await PostgresTestDatabase.CreateAsync(cancellationToken: cancellationToken), TestClock.Create(), settings, logs);

    /// <summary>Imports a directory CSV, by default the shared scenarios' one.</summary>
    public Task<DirectoryImportResult> LoadDirectoryAsync(string? csvPath = null) => DirectoryFixture.LoadAsync(Directory, csvPath);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
