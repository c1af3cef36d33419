using Microsoft.Extensions.Configuration;

namespace Ivr.Store;

/// <summary>Where the credential store is and how long a call may wait for it, bound from the configuration's root keys.</summary>
public sealed class StoreOptions
{
    /// <summary>The Npgsql connection string (<c>IVR_DATABASE</c>). Required.</summary>
    [ConfigurationKeyName("Database")]
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long one database step of a call (the caller check, a number check, the commit, the audit row) may take,
    /// connecting included, before the caller hears <c>system-error</c> (<c>IVR_DATABASE_DEADLINE</c>). Defaults to
    /// 3 seconds: far above a healthy round trip, far below the driver's own 15–30 s timeouts (issue 14).
    /// </summary>
    [ConfigurationKeyName("DatabaseDeadline")]
    public TimeSpan StepDeadline { get; set; } = TimeSpan.FromSeconds(3);
}
