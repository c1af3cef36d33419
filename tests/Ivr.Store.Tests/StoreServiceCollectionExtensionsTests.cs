using Ivr.Domain;
using Ivr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ivr.Store.Tests;

public sealed class StoreServiceCollectionExtensionsTests
{
    [Test]
    public async Task The_store_composes_over_one_data_source_and_serves_the_call_flows_ports()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var services = TestServices.Store(TestServices.Configuration(database.ConnectionString));

        Assert.That(services.GetRequiredService<ICredentialStore>(), Is.SameAs(services.GetRequiredService<CredentialStore>()));
        Assert.That(services.GetRequiredService<IContractDirectory>(), Is.SameAs(services.GetRequiredService<ContractDirectory>()));
        Assert.That(services.GetRequiredService<IAuditLog>(), Is.SameAs(services.GetRequiredService<AuditLog>()));
        Assert.That(services.GetRequiredService<WebsiteLogin>(), Is.Not.Null);
        Assert.That(services.GetRequiredService<LoginAudit>(), Is.Not.Null);
        Assert.That(await services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None), Is.Empty, "the fixture migrated it already");
        Assert.That(await services.GetRequiredService<IContractDirectory>().FindCallerLineAsync("0612345678", CancellationToken.None), Is.Null);
    }

    [Test]
    public void A_missing_pepper_surfaces_when_the_hasher_is_first_needed_in_one_line()
    {
        using var services = TestServices.Store(TestServices.Configuration("Host=127.0.0.1", new Dictionary<string, string?> { ["Pepper"] = null }));

        Assert.That(services.GetRequiredService<Migrator>(), Is.Not.Null, "a command that never hashes needs no pepper");
        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<CredentialStore>());
        Assert.That(failure!.Message, Does.StartWith("IVR_PEPPER is not set"));
    }

    [TestCase(null, "IVR_DATABASE is not set: give the Npgsql connection string of the credential store")]
    [TestCase("Hots=localhost", "IVR_DATABASE is not a valid Npgsql connection string: ")]
    public void A_bad_connection_string_is_refused_in_one_line(string? connectionString, string expected)
    {
        using var services = TestServices.Store(TestServices.Configuration(connectionString!));

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<NpgsqlDataSource>());

        Assert.That(failure!.Message, Does.StartWith(expected));
    }

    [Test]
    public void A_database_deadline_out_of_range_is_refused_in_one_line()
    {
        using var services = TestServices.Store(TestServices.Configuration("Host=127.0.0.1", new Dictionary<string, string?> { ["DatabaseDeadline"] = "00:00:00.01" }));

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<ContractDirectory>());

        Assert.That(failure!.Message, Is.EqualTo("IVR_DATABASE_DEADLINE '00:00:00.0100000' must be between 00:00:00.1 and 00:01:00"));
    }

    [TestCase("", StoreServiceCollectionExtensions.DefaultMaxPoolSize)]
    [TestCase(";Maximum Pool Size=100", 100)]
    [TestCase(";MaxPoolSize=3", 3)]
    public void A_pool_the_connection_string_does_not_size_is_small_and_one_it_sizes_stands(string sizing, int expected)
    {
        using var services = TestServices.Store(TestServices.Configuration("Host=127.0.0.1" + sizing));

        var dataSource = services.GetRequiredService<NpgsqlDataSource>();

        Assert.That(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize, Is.EqualTo(expected));
    }

    // Why the pool is small: if Npgsql handed out the connection last given back, a large pool would cost nothing.
    [Test]
    public async Task Npgsql_hands_idle_connections_out_first_in_first_out_so_a_pool_cycles_through_all_its_backends()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString + ";Maximum Pool Size=4");
        var opened = new List<NpgsqlConnection>();
        for (var i = 0; i < 4; i++)
        {
            opened.Add(await dataSource.OpenConnectionAsync());
        }
        var givenBack = opened.ConvertAll(connection => connection.ProcessID);
        foreach (var connection in opened)
        {
            await connection.DisposeAsync();
        }

        var backends = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            backends.Add(connection.ProcessID);
        }

        Assert.That(backends, Is.Unique, "one after another, each open got a different backend: the one idle longest");
        Assert.That(backends, Is.EqualTo(givenBack), "in the order they were given back");
    }
}
