namespace Ivr.Lab;

/// <summary>
/// The Japanese text of every prompt, read from <c>prompts/manifest.tsv</c> (columns <c>id</c>, <c>text</c>,
/// <c>reading</c>), so a lab transcript shows what the caller hears.
/// </summary>
public sealed class PromptCatalog
{
    private readonly IReadOnlyDictionary<string, string> _texts;

    private PromptCatalog(IReadOnlyDictionary<string, string> texts) => _texts = texts;

    /// <summary>An empty catalog: transcripts then show prompt ids only.</summary>
    public static PromptCatalog Empty { get; } = new(new Dictionary<string, string>());

    public static PromptCatalog Load(string manifestPath)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(manifestPath).Skip(1))
        {
            var columns = line.Split('\t');
            if (columns.Length >= 2)
            {
                texts[columns[0]] = columns[1];
            }
        }
        return new PromptCatalog(texts);
    }

    /// <summary>The manifest shipped beside the program (<c>prompts/manifest.tsv</c>), or <see cref="Empty"/> when absent.</summary>
    public static PromptCatalog LoadShipped()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "prompts", "manifest.tsv");
        return File.Exists(path) ? Load(path) : Empty;
    }

    /// <summary>The text of a heard item: a prompt id, or <c>digits:N</c> read back digit by digit.</summary>
    public string TextOf(string heard) =>
        heard.StartsWith("digits:", StringComparison.Ordinal) ? heard["digits:".Length..]
        : _texts.TryGetValue(heard, out var text) ? text
        : "";
}
