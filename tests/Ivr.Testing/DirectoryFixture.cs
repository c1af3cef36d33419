using Ivr.Store;

namespace Ivr.Testing;

/// <summary>Loads a directory CSV (by default the shared scenarios' <c>directory.csv</c>) the way <c>ivr directory import</c> does.</summary>
public static class DirectoryFixture
{
    public static IReadOnlyList<DirectoryRow> Read(string? csvPath = null)
    {
        var path = csvPath ?? RepositoryPaths.ScenarioDirectoryCsv;
        if (!File.Exists(path))
        {
            throw new AssertionException($"the directory fixture {path} does not exist (is shared/ beside the repository?)");
        }
        using var reader = new StreamReader(path);
        return DirectoryCsv.Parse(reader);
    }

    public static Task<DirectoryImportResult> LoadAsync(ContractDirectory directory, string? csvPath = null, CancellationToken cancellationToken = default) =>
        directory.ImportAsync(Read(csvPath), cancellationToken);
}
