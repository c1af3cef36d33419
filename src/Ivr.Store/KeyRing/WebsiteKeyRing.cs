using Dapper;
using Npgsql;

namespace Ivr.Store;

/// <summary>
/// Where the website keeps its ASP.NET Core Data Protection key ring (<c>website_key_ring</c>), so that every
/// instance and every restart protect and read cookies and antiforgery tokens with the same keys. It stores the
/// XML as given: a key's secret arrives already encrypted with the website's key ring key, which never comes here.
/// </summary>
/// <remarks>Synchronous, as Data Protection's <c>IXmlRepository</c> is; it reads the ring rarely: at start, then on its periodic refresh.</remarks>
public sealed class WebsiteKeyRing(NpgsqlDataSource dataSource)
{
    private const string ReadAllSql = "SELECT xml FROM website_key_ring ORDER BY element_id";

    /// <summary>Every element stored, oldest first.</summary>
    public IReadOnlyList<string> ReadAll()
    {
        using var connection = dataSource.OpenConnection();
        return connection.Query<string>(ReadAllSql).ToList();
    }

    private const string StoreSql = "INSERT INTO website_key_ring (friendly_name, xml) VALUES (@FriendlyName, @Xml)";

    /// <summary>Adds one element (a new key, or a revocation); elements are never changed or removed.</summary>
    public void Store(string friendlyName, string xml)
    {
        using var connection = dataSource.OpenConnection();
        connection.Execute(StoreSql, new { FriendlyName = friendlyName, Xml = xml });
    }

    private const string LockSql = "SELECT pg_advisory_lock(@Key)";
    private const string UnlockSql = "SELECT pg_advisory_unlock(@Key)";

    /// <summary>
    /// Runs <paramref name="action"/> while no other instance runs its own: instances that start together on an empty
    /// ring make one first key, not one each that the others would not know of until their next daily read.
    /// </summary>
    public async Task<T> WhileStartingAloneAsync<T>(Func<T> action, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var key = new { Key = AdvisoryLocks.WebsiteKeyRing };
        await connection.ExecuteAsync(new CommandDefinition(LockSql, key, cancellationToken: cancellationToken));
        try
        {
            return await Task.Run(action, cancellationToken);
        }
        finally
        {
            // Not cancellable: a pooled connection must not go back with the lock held.
            await connection.ExecuteAsync(new CommandDefinition(UnlockSql, key, cancellationToken: CancellationToken.None));
        }
    }
}
