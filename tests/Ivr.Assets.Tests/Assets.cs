using Ivr.Testing;

namespace Ivr.Assets.Tests;

/// <summary>The repository's asset files, and the spec beside it.</summary>
internal static class Assets
{
    public static string Root => RepositoryPaths.Root;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    /// <summary>The manifest's rows: id → (text, reading).</summary>
    public static IReadOnlyDictionary<string, (string Text, string Reading)> Manifest() =>
        File.ReadLines(PathOf("prompts", "manifest.tsv")).Skip(1).Where(line => line.Length > 0)
            .Select(line => line.Split('\t'))
            .ToDictionary(columns => columns[0], columns => (columns[1], columns[2]));
}
