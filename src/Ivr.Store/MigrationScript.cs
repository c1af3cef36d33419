using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Ivr.Store;

/// <summary>One versioned schema script, <c>Migrations/0001_initial.sql</c>: version 1, name <c>0001_initial</c>.</summary>
public sealed record MigrationScript(int Version, string Name, string Sql)
{
    private const string ResourcePrefix = "Migrations/";

    /// <summary>The SHA-256 of the script's text, recorded when it is applied.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));

    internal static IReadOnlyList<MigrationScript> LoadEmbedded(Assembly assembly) =>
        assembly.GetManifestResourceNames()
            .Where(resource => resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) && resource.EndsWith(".sql", StringComparison.Ordinal))
            .Select(resource =>
            {
                var name = resource[ResourcePrefix.Length..^".sql".Length];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!, Encoding.UTF8);
                return new MigrationScript(VersionOf(name), name, reader.ReadToEnd());
            })
            .OrderBy(script => script.Version)
            .ToList();

    private static int VersionOf(string name) =>
        int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), NumberStyles.None, CultureInfo.InvariantCulture);
}
