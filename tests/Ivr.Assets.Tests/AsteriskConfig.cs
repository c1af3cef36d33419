using System.Text.RegularExpressions;

namespace Ivr.Assets.Tests;

/// <summary>
/// An Asterisk configuration file read the way Asterisk's config parser reads it: <c>[name]</c> or
/// <c>[name](!,template)</c> headers, <c>key=value</c> and <c>key => value</c> lines, <c>;</c> comments and
/// <c>#include</c> lines.
/// </summary>
internal sealed partial class AsteriskConfig
{
    private AsteriskConfig(IReadOnlyList<AsteriskSection> sections, IReadOnlyList<string> includes)
    {
        Sections = sections;
        Includes = includes;
    }

    public IReadOnlyList<AsteriskSection> Sections { get; }

    /// <summary>The files <c>#include</c>d, as written (relative to Asterisk's configuration folder).</summary>
    public IReadOnlyList<string> Includes { get; }

    public static AsteriskConfig Read(params string[] path) => Parse(Assets.Read(path));

    public static AsteriskConfig Parse(string text)
    {
        var sections = new List<AsteriskSection>();
        var includes = new List<string>();
        List<KeyValuePair<string, string>>? entries = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = Comment().Replace(raw, "").Trim();
            if (line.StartsWith("#include", StringComparison.Ordinal))
            {
                includes.Add(line["#include".Length..].Trim().Trim('"'));
            }
            else if (Header().Match(line) is { Success: true } header)
            {
                var options = header.Groups["options"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                entries = [];
                sections.Add(new AsteriskSection(header.Groups["name"].Value, options.Contains("!"), options.Where(o => o != "!").ToList(), entries));
            }
            else if (line.Length > 0)
            {
                var equals = line.IndexOf('=', StringComparison.Ordinal);
                if (entries is null || equals < 0)
                {
                    throw new FormatException($"not a configuration line: {raw}");
                }
                entries.Add(new(line[..equals].Trim(), line[(equals + 1)..].TrimStart('>').Trim()));
            }
        }
        return new AsteriskConfig(sections, includes);
    }

    /// <summary>The sections of this name (PJSIP gives an endpoint, its auth and its aor one name).</summary>
    public IEnumerable<AsteriskSection> Named(string name) => Sections.Where(section => section.Name == name);

    /// <summary>The single section of this name.</summary>
    public AsteriskSection Section(string name) => Named(name).Single();

    /// <summary>The section of this name whose <c>type</c> is <paramref name="type"/> (a PJSIP object).</summary>
    public AsteriskSection Object(string name, string type) => Named(name).Single(section => Value(section, "type") == type);

    /// <summary>The concrete (non-template) PJSIP objects of a type.</summary>
    public IEnumerable<AsteriskSection> Objects(string type) => Sections.Where(section => !section.IsTemplate && Value(section, "type") == type);

    /// <summary>A key's value in a section, or inherited from its templates when the section does not set it.</summary>
    public string? Value(AsteriskSection section, string key) =>
        section.Values(key).LastOrDefault()
        ?? section.Templates.Select(name => Value(Sections.First(template => template.Name == name), key)).LastOrDefault(value => value is not null);

    // A ';' starts a comment unless escaped as "\;".
    [GeneratedRegex(@"(?<!\\);.*$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"^\[(?<name>[^\]]+)\](?:\((?<options>[^)]*)\))?$")]
    private static partial Regex Header();
}
