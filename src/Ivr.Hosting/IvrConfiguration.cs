using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Ivr.Hosting;

/// <summary>
/// Loads the configuration every command reads: <c>appsettings.json</c> beside the program, then
/// <c>IVR_</c> environment variables, which win (SPEC §6). <c>IVR_AGI_ALLOW</c> is the key <c>AgiAllow</c>:
/// the words after the prefix, joined in Pascal case; a double underscore separates sections
/// (<c>IVR_WEB__LISTEN</c> is <c>Web:Listen</c>).
/// </summary>
public static class IvrConfiguration
{
    public const string EnvironmentPrefix = "IVR_";

    public static IConfigurationRoot Load(IDictionary? environment = null) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddInMemoryCollection(FromEnvironment(environment ?? Environment.GetEnvironmentVariables()))
            .Build();

    private static IEnumerable<KeyValuePair<string, string?>> FromEnvironment(IDictionary environment)
    {
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal)
                && !name.StartsWith("IVR_TEST_", StringComparison.Ordinal))
            {
                yield return new(KeyOf(name[EnvironmentPrefix.Length..]), entry.Value as string);
            }
        }
    }

    private static string KeyOf(string variable) =>
        string.Join(':', variable.Split("__").Select(section =>
            string.Concat(section.Split('_', StringSplitOptions.RemoveEmptyEntries)
                .Select(word => char.ToUpperInvariant(word[0]) + word[1..].ToLowerInvariant()))));
}
