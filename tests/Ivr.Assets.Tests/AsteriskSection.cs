namespace Ivr.Assets.Tests;

/// <summary>One <c>[section]</c> of an Asterisk configuration file, with its templates and its lines in order.</summary>
internal sealed record AsteriskSection(string Name, bool IsTemplate, IReadOnlyList<string> Templates, IReadOnlyList<KeyValuePair<string, string>> Entries)
{
    /// <summary>Every value the section itself gives <paramref name="key"/>, in order.</summary>
    public IEnumerable<string> Values(string key) => Entries.Where(entry => entry.Key == key).Select(entry => entry.Value);
}
