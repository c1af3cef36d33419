using Ivr.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ivr.Testing;

/// <summary>The store classes a test uses, resolved from the programs' own composition (<c>AddIvrStore</c>).</summary>
public class StoreServices(ServiceProvider services) : IAsyncDisposable
{
    public ServiceProvider Services { get; } = services;
    public PasswordHasher Hasher => Services.GetRequiredService<PasswordHasher>();
    public ContractDirectory Directory => Services.GetRequiredService<ContractDirectory>();
    public CredentialStore Credentials => Services.GetRequiredService<CredentialStore>();
    public WebsiteLogin Login => Services.GetRequiredService<WebsiteLogin>();
    public AuthenticationUnits Units => Services.GetRequiredService<AuthenticationUnits>();
    public AuditLog Audit => Services.GetRequiredService<AuditLog>();
    public LoginAudit LoginAudit => Services.GetRequiredService<LoginAudit>();

    /// <summary>The store over <paramref name="configuration"/>, as <c>ivr</c> composes it.</summary>
    public static StoreServices Compose(IConfiguration configuration, TimeProvider? time = null, ILoggerProvider? logs = null) =>
        new(TestServices.Store(configuration, time, logs));

    public virtual async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
