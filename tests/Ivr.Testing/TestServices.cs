using System.Diagnostics.Metrics;
using Ivr.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ivr.Testing;

/// <summary>The programs' composition, for tests: the same <c>AddIvrStore</c> over a test configuration.</summary>
public static class TestServices
{
    /// <summary>A meter factory of its own, so a test's figures are not mixed with another's.</summary>
    public static IMeterFactory MeterFactory() => new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    /// <summary>Configuration for <paramref name="connectionString"/> with the test pepper, fast hashing and an audit spool of its own, plus <paramref name="extra"/>.</summary>
    public static IConfiguration Configuration(string connectionString, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = TestHashing.Settings();
        settings["Database"] = connectionString;
        // A spool of its own: rows another test's server kept must never drain into this database.
        settings["AuditSpool"] = Path.Combine(Path.GetTempPath(), $"ivr-test-audit-spool-{Guid.NewGuid():N}");
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    /// <summary>The store composed as the programs compose it, on <paramref name="time"/>, logging to <paramref name="logs"/> when given.</summary>
    public static ServiceProvider Store(IConfiguration configuration, TimeProvider? time = null, ILoggerProvider? logs = null)
    {
        var services = new ServiceCollection().AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        if (time is not null)
        {
            services.AddSingleton(time);
        }
        return services.AddIvrStore(configuration).BuildServiceProvider();
    }
}
