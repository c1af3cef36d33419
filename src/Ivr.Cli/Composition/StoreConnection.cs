using Ivr.Cli.Configuration;
using Ivr.Store;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Ivr.Cli.Composition;

/// <summary>The credential store as one command uses it: one pooled data source and the classes over it.</summary>
public sealed class StoreConnection : IAsyncDisposable
{
    private readonly Lazy<PasswordHasher> _hasher;

    private StoreConnection(NpgsqlDataSource dataSource, IConfiguration configuration, TimeProvider time)
    {
        DataSource = dataSource;
        Time = time;
        // Only commands that hash need the pepper; `ivr audit tail` works without it.
        _hasher = new Lazy<PasswordHasher>(() => new PasswordHasher(IvrSettings.Hashing(configuration)));
    }

    public static StoreConnection Open(IConfiguration configuration, TimeProvider? time = null)
    {
        NpgsqlDataSource dataSource;
        try
        {
            dataSource = NpgsqlDataSource.Create(IvrSettings.Database(configuration));
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationProblem($"IVR_DATABASE is not a valid connection string: {e.Message}");
        }
        return new StoreConnection(dataSource, configuration, time ?? TimeProvider.System);
    }

    public NpgsqlDataSource DataSource { get; }
    public TimeProvider Time { get; }
    public PasswordHasher Hasher => _hasher.Value;
    public Migrator Migrator => new(DataSource);
    public ContractDirectory Directory => new(DataSource);
    public CredentialStore Credentials => new(DataSource, Hasher, Time);
    public WebsiteLogin Login => new(DataSource, Hasher, Time);
    public AuditLog Audit => new(DataSource, Time);
    public AuthenticationUnits Units => new(DataSource, Hasher, Time);
    public WebsiteKeyRing KeyRing => new(DataSource);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
