using System.Data.Common;
using Ivr.Domain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ivr.Store;

/// <summary>The one way every program (<c>serve</c>, <c>web</c>, the commands, the tests) composes the credential store.</summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>
    /// The connections a process keeps when <c>IVR_DATABASE</c> names no <c>Maximum Pool Size</c>: the calls'
    /// queries take a fraction of a millisecond, so ten serve thousands a second.
    /// </summary>
    public const int DefaultMaxPoolSize = 10;

    /// <summary>
    /// Binds <see cref="StoreOptions"/> and <see cref="PasswordHashingOptions"/> from <paramref name="configuration"/>'s
    /// root keys (<c>IVR_DATABASE</c>, <c>IVR_PEPPER</c>, …) and adds one pooled <see cref="NpgsqlDataSource"/> for the
    /// process, logging through the host's logger factory, and every store class over it, as singletons, with the
    /// call flow's ports. Options are validated when first needed (a command that never hashes needs no pepper) and
    /// at start in a host (<c>ValidateOnStart</c>); a problem is an <see cref="OptionsValidationException"/> whose
    /// message is one line naming the variable. A <see cref="TimeProvider"/> already registered (a test's fake
    /// clock) is kept. The host must add logging: every store class logs.
    /// </summary>
    public static IServiceCollection AddIvrStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StoreOptions>().Bind(configuration).ValidateOnStart();
        services.AddOptions<PasswordHashingOptions>().Bind(configuration).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PasswordHashingOptions>, PasswordHashingOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider =>
        {
            // Validated on the way: a missing one is a one-line error before this.
            var connectionString = provider.GetRequiredService<IOptions<StoreOptions>>().Value.ConnectionString!;
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            // Npgsql hands idle connections out first in, first out: a pool of its default hundred spreads the calls'
            // short queries over a hundred backends that each wake cold (PostgreSQL's CPU a call nearly doubles,
            // docs/benchmarks.md). A pool the operator did not size is a small one; a size they chose stands.
            if (!NamesPoolSize(connectionString))
            {
                builder.ConnectionStringBuilder.MaxPoolSize = DefaultMaxPoolSize;
            }
            // No step changes a session's settings, so a pooled connection needs no DISCARD ALL when it goes back to
            // the pool; that reset also threw away every prepared statement, so each call's queries were parsed and
            // planned anew (half of PostgreSQL's CPU per call under load: docs/benchmarks.md). The calls' few
            // statements are then prepared once per connection.
            builder.ConnectionStringBuilder.NoResetOnClose = true;
            if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
            }
            // Parameter values stay out of the log: EnableParameterLogging is off.
            return builder.UseLoggerFactory(provider.GetRequiredService<ILoggerFactory>()).Build();
        });
        services.AddMetrics();
        services.TryAddSingleton<StoreMetrics>();
        services.TryAddSingleton<DatabaseSteps>();
        services.TryAddSingleton(provider => new PasswordHasher(
            provider.GetRequiredService<IOptions<PasswordHashingOptions>>().Value, provider.GetRequiredService<StoreMetrics>()));

        services.TryAddSingleton<Migrator>();
        services.TryAddSingleton<ContractDirectory>();
        services.TryAddSingleton<CredentialStore>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<LoginAudit>();
        services.TryAddSingleton<LoginAttemptRecorder>();
        services.TryAddSingleton<WebsiteLogin>();
        services.TryAddSingleton<AuthenticationUnits>();
        services.TryAddSingleton<WebsiteKeyRing>();
        services.TryAddSingleton<IContractDirectory>(provider => provider.GetRequiredService<ContractDirectory>());
        services.TryAddSingleton<ICredentialStore>(provider => provider.GetRequiredService<CredentialStore>());
        services.TryAddSingleton<IAuditLog>(provider => provider.GetRequiredService<AuditLog>());
        return services;
    }

    // Npgsql's builder answers every key with its value or default, so only the string itself says what was named.
    private static bool NamesPoolSize(string connectionString)
    {
        var named = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return named.ContainsKey("Maximum Pool Size") || named.ContainsKey("MaxPoolSize");
    }
}
