using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ivr.Lab.Scenarios;

/// <summary>Writes a <see cref="Scenario"/> as a scenario file (SPEC §6), laid out as the hand-written ones are, so <see cref="ScenarioFile"/> reads it back.</summary>
public static partial class ScenarioYaml
{
    /// <summary>The file's text; each of <paramref name="comments"/> becomes a <c>#</c> line at the top.</summary>
    public static string Format(Scenario scenario, IEnumerable<string>? comments = null)
    {
        var yaml = new StringBuilder();
        foreach (var comment in comments ?? [])
        {
            yaml.Append("# ").Append(comment.ReplaceLineEndings(" ")).Append('\n');
        }
        yaml.Append("name: ").Append(Quoted(scenario.Name)).Append('\n');
        yaml.Append("caller: ").Append(Quoted(scenario.Caller)).Append('\n');
        if (scenario.CallingPresentation is { } presentation)
        {
            yaml.Append("calling-presentation: ").Append(presentation.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        yaml.Append("steps:\n");
        foreach (var step in scenario.Steps)
        {
            yaml.Append("  - hear: [").AppendJoin(", ", step.Hear.Select(Item)).Append("]\n");
            if (step.Press is { } press)
            {
                yaml.Append("    press: ").Append(press is "timeout" or "hangup" ? press : Quoted(press)).Append('\n');
            }
        }
        yaml.Append("end: ").Append(scenario.End == ScenarioEnd.SystemHangup ? "system-hangup" : "caller-hangup").Append('\n');
        yaml.Append("outcome: ").Append(Item(scenario.Outcome)).Append('\n');
        if (scenario.Credentials.Count > 0)
        {
            yaml.Append("credentials:\n");
            foreach (var credential in scenario.Credentials)
            {
                yaml.Append("  - login: ").Append(Quoted(credential.Login)).Append('\n');
                yaml.Append("    unit: ").Append(Item(credential.Unit)).Append('\n');
                yaml.Append("    temporary-password: ").Append(Quoted(credential.TemporaryPassword)).Append('\n');
            }
        }
        if (scenario.Unchanged.Count > 0)
        {
            yaml.Append("unchanged: [").AppendJoin(", ", scenario.Unchanged.Select(Quoted)).Append("]\n");
        }
        return yaml.ToString();
    }

    // Prompt ids, digits:N and domain words stay plain, as in the hand-written files; anything else is quoted.
    private static string Item(string value) => PlainItem().IsMatch(value) ? value : Quoted(value);

    private static string Quoted(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                < ' ' => quoted.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => quoted.Append(c),
            };
        }
        return quoted.Append('"').ToString();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9/_-]*(:[0-9]+)?$")]
    private static partial Regex PlainItem();
}
