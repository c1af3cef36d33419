namespace Ivr.Assets.Tests;

/// <summary><c>prompts/manifest.tsv</c>: a header line, then one tab-separated row per prompt.</summary>
internal sealed record PromptManifest(string Header, IReadOnlyList<PromptManifestRow> Rows)
{
    public static PromptManifest Read()
    {
        var lines = File.ReadAllLines(Assets.PathOf("prompts", "manifest.tsv"));
        var rows = lines.Skip(1).Select(line => line.Split('\t')).Select(columns => columns.Length == 3
            ? new PromptManifestRow(columns[0], columns[1], columns[2])
            : throw new FormatException($"a manifest row needs 3 tab-separated columns: {string.Join('\t', columns)}"));
        return new PromptManifest(lines[0], rows.ToList());
    }

    public PromptManifestRow Row(string id) => Rows.Single(row => row.Id == id);
}
