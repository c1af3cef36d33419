using Ivr.CallFlow;
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
        await using var services = new ServiceCollection()
            .AddIvrStore(store => store.ConnectionString = database.ConnectionString, hashing => hashing.Pepper = TestHashing.Pepper)
            .BuildServiceProvider();

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
        using var services = new ServiceCollection()
            .AddIvrStore(store => store.ConnectionString = "Host=127.0.0.1", _ => { })
            .BuildServiceProvider();

        Assert.That(services.GetRequiredService<Migrator>(), Is.Not.Null, "a command that never hashes needs no pepper");
        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<CredentialStore>());
        Assert.That(failure!.Message, Is.EqualTo("IVR_PEPPER must be base64 of at least 32 bytes"));
    }

    [TestCase(null, "IVR_DATABASE is not set: give the Npgsql connection string of the credential store")]
    [TestCase("Hots=localhost", "IVR_DATABASE is not a valid Npgsql connection string: ")]
    public void A_bad_connection_string_is_refused_in_one_line(string? connectionString, string expected)
    {
        using var services = new ServiceCollection()
            .AddIvrStore(store => store.ConnectionString = connectionString, hashing => hashing.Pepper = TestHashing.Pepper)
            .BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<NpgsqlDataSource>());

        Assert.That(failure!.Message, Does.StartWith(expected));
    }
}
