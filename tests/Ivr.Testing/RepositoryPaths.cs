namespace Ivr.Testing;

/// <summary>
/// Where the repository and the shared fixtures are: the repository root is the folder holding <c>Ivr.sln</c>,
/// found by walking up from the test assembly; <c>shared/</c> sits beside it (<c>../shared</c>).
/// </summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Scenarios => Path.Combine(Shared, "scenarios");

    /// <summary>The directory the shared scenarios are written against.</summary>
    public static string ScenarioDirectoryCsv => Path.Combine(Scenarios, "directory.csv");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Ivr.sln")))
            {
                return folder.FullName;
            }
        }
        throw new AssertionException($"no folder above {AppContext.BaseDirectory} holds Ivr.sln");
    }
}
