using Ivr.Store;
using Microsoft.Extensions.Time.Testing;

namespace Ivr.Testing;

/// <summary>
/// Every store class over one fresh test database, sharing one fake clock and one fast hasher: what the server
/// and the website would compose, for tests. The directory is empty until <see cref="LoadDirectoryAsync"/>.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private TestStore(PostgresTestDatabase database, PasswordHashingOptions hashing)
    {
        Database = database;
        Clock = TestClock.Create();
        Hasher = new PasswordHasher(hashing);
        Directory = new ContractDirectory(database.DataSource);
        Credentials = new CredentialStore(database.DataSource, Hasher, Clock);
        Login = new WebsiteLogin(database.DataSource, Hasher, Clock);
        Audit = new AuditLog(database.DataSource, Clock);
        LoginAudit = new LoginAudit(database.DataSource);
    }

    public PostgresTestDatabase Database { get; }
    public FakeTimeProvider Clock { get; }
    public PasswordHasher Hasher { get; }
    public ContractDirectory Directory { get; }
    public CredentialStore Credentials { get; }
    public WebsiteLogin Login { get; }
    public AuditLog Audit { get; }
    public LoginAudit LoginAudit { get; }

    /// <summary>A migrated database and the store over it; <paramref name="hashing"/> defaults to <see cref="TestHashing.Options"/>.</summary>
    public static async Task<TestStore> CreateAsync(PasswordHashingOptions? hashing = null, CancellationToken cancellationToken = default) =>
        new(await PostgresTestDatabase.CreateAsync(cancellationToken: cancellationToken), hashing ?? TestHashing.Options());

    /// <summary>Imports a directory CSV, by default the shared scenarios' one.</summary>
    public Task<DirectoryImportResult> LoadDirectoryAsync(string? csvPath = null) => DirectoryFixture.LoadAsync(Directory, csvPath);

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
