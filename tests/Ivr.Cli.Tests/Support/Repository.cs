namespace Ivr.Cli.Tests.Support;

/// <summary>Paths in the checkout and in <c>../shared</c> beside it.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string SharedScenarios => Path.Combine(Root, "..", "shared", "scenarios");

    public static string SharedDirectoryCsv => Path.Combine(SharedScenarios, "directory.csv");

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Ivr.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("Ivr.sln not found above the test folder");
    }
}
