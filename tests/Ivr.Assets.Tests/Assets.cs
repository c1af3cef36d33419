using Ivr.Testing;

namespace Ivr.Assets.Tests;

/// <summary>The repository's asset files, read from the checkout the tests run in.</summary>
internal static class Assets
{
    public static string PathOf(params string[] parts) => Path.Combine([RepositoryPaths.Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));
}
