using Ivr.CallFlow;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ivr.Store;

/// <summary>Registers the credential store in a service collection (the CLI's host, the website).</summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds one pooled <see cref="NpgsqlDataSource"/> for the process and every store class over it, as
    /// singletons, with the call flow's ports. The options are validated when the first service that needs
    /// them is resolved (a command that never hashes does not need the pepper); a problem is an
    /// <see cref="OptionsValidationException"/> with a one-line message. A <see cref="TimeProvider"/> already
    /// registered (a test's fake clock) is kept; otherwise the system clock is used.
    /// </summary>
    public static IServiceCollection AddIvrStore(
        this IServiceCollection services, Action<StoreOptions> configureStore, Action<PasswordHashingOptions> configureHashing)
    {
        services.AddOptions<StoreOptions>().Configure(configureStore);
        services.AddOptions<PasswordHashingOptions>().Configure(configureHashing);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PasswordHashingOptions>, PasswordHashingOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider =>
        {
            var builder = new NpgsqlDataSourceBuilder(provider.GetRequiredService<IOptions<StoreOptions>>().Value.ConnectionString);
            if (provider.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                builder.UseLoggerFactory(loggerFactory); // parameter values stay out of the log: EnableParameterLogging is off
            }
            return builder.Build();
        });
        services.TryAddSingleton(provider => new PasswordHasher(provider.GetRequiredService<IOptions<PasswordHashingOptions>>().Value));

        services.TryAddSingleton<Migrator>();
        services.TryAddSingleton<ContractDirectory>();
        services.TryAddSingleton<CredentialStore>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<LoginAudit>();
        services.TryAddSingleton<WebsiteLogin>();
        services.TryAddSingleton<WebsiteKeyRing>();
        services.TryAddSingleton<IContractDirectory>(provider => provider.GetRequiredService<ContractDirectory>());
        services.TryAddSingleton<ICredentialStore>(provider => provider.GetRequiredService<CredentialStore>());
        services.TryAddSingleton<IAuditLog>(provider => provider.GetRequiredService<AuditLog>());
        return services;
    }
}
