namespace Ivr.Assets.Tests;

/// <summary><c>demo/directory.csv</c>, the directory the demo and the Docker stack load.</summary>
internal static class DemoDirectory
{
    /// <summary>Every phone number it lists, whatever its contract, kind or state.</summary>
    public static HashSet<string> Numbers() =>
        File.ReadLines(Assets.PathOf("demo", "directory.csv")).Skip(1).Select(line => line.Split(',')[1]).ToHashSet();
}
