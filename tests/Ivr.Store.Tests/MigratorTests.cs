using Dapper;
using Ivr.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ivr.Store.Tests;

public sealed class MigratorTests
{
    private PostgresTestDatabase _database = null!;

    [SetUp]
    public async Task CreateEmptyDatabase() => _database = await PostgresTestDatabase.CreateAsync(migrate: false);

    [TearDown]
    public async Task DropDatabase() => await _database.DisposeAsync();

    [Test]
    public void Scripts_are_embedded_and_numbered_from_one_upwards()
    {
        var versions = Migrator.Scripts.Select(script => script.Version).ToList();

        Assert.That(versions, Is.Not.Empty);
        Assert.That(versions[0], Is.EqualTo(1));
        Assert.That(versions, Is.Ordered.And.Unique);
        Assert.That(Migrator.Scripts[0].Name, Is.EqualTo("0001_initial"));
    }

    [Test]
    public async Task First_run_applies_every_script_in_order_and_records_it()
    {
        var applied = await new Migrator(_database.DataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);

        Assert.That(applied, Is.EqualTo(Migrator.Scripts.Select(script => script.Name)));
        Assert.That(await RecordedVersionsAsync(), Is.EqualTo(Migrator.Scripts.Select(script => script.Version)));
    }

    [Test]
    public async Task Second_run_applies_nothing()
    {
        var migrator = new Migrator(_database.DataSource, NullLogger<Migrator>.Instance);
        await migrator.MigrateAsync(CancellationToken.None);

        var applied = await migrator.MigrateAsync(CancellationToken.None);

        Assert.That(applied, Is.Empty);
        Assert.That(await RecordedVersionsAsync(), Has.Count.EqualTo(Migrator.Scripts.Count));
    }

    [Test]
    public async Task Two_migrators_at_once_apply_each_script_exactly_once()
    {
        // Two processes: two data sources, two sessions racing for the advisory lock.
        await using var otherProcess = Npgsql.NpgsqlDataSource.Create(_database.ConnectionString);

        var results = await Task.WhenAll(
            new Migrator(_database.DataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None),
            new Migrator(otherProcess, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None));

        Assert.That(results.SelectMany(applied => applied), Is.EqualTo(Migrator.Scripts.Select(script => script.Name)));
        Assert.That(results, Has.One.Empty);
        Assert.That(await RecordedVersionsAsync(), Is.EqualTo(Migrator.Scripts.Select(script => script.Version)));
    }

    [Test]
    public async Task A_script_edited_after_it_was_applied_stops_the_migration()
    {
        var migrator = new Migrator(_database.DataSource, NullLogger<Migrator>.Instance);
        await migrator.MigrateAsync(CancellationToken.None);
        await using (var connection = await _database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
        }

        var failure = Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync(CancellationToken.None));

        Assert.That(failure!.Message, Does.StartWith("migration 0001_initial was changed after it was applied"));
    }

    [Test]
    public async Task The_lock_is_released_so_a_later_run_in_the_same_pool_is_not_blocked()
    {
        var migrator = new Migrator(_database.DataSource, NullLogger<Migrator>.Instance);
        await migrator.MigrateAsync(CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var otherProcess = Npgsql.NpgsqlDataSource.Create(_database.ConnectionString);

        Assert.That(await new Migrator(otherProcess, NullLogger<Migrator>.Instance).MigrateAsync(timeout.Token), Is.Empty);
    }

    [Test]
    public async Task A_migration_skipped_below_the_newest_one_is_still_pending()
    {
        var migrator = new Migrator(_database.DataSource, NullLogger<Migrator>.Instance);
        Assert.That(await migrator.PendingAsync(CancellationToken.None), Has.Count.EqualTo(Migrator.Scripts.Count), "a new database lacks every script");
        await migrator.MigrateAsync(CancellationToken.None);
        Assert.That(await migrator.PendingAsync(CancellationToken.None), Is.Empty);
        await using (var connection = await _database.DataSource.OpenConnectionAsync())
        {
            // A database that got a later script first (branches merged out of order) lacks an earlier one.
            await connection.ExecuteAsync("DELETE FROM schema_migrations WHERE version = 2");
        }

        Assert.That(await migrator.PendingAsync(CancellationToken.None), Is.EqualTo(new[] { Migrator.Scripts[1].Name }));
    }

    private async Task<List<int>> RecordedVersionsAsync()
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
    }
}
