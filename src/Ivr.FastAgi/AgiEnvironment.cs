using System.Globalization;

namespace Ivr.FastAgi;

/// <summary>
/// The <c>agi_*</c> variables Asterisk sends when it hands a call over. Any of them may be missing
/// (<c>agi_network_script</c> is absent when the URL has no path); values are UTF-8 text.
/// </summary>
public sealed class AgiEnvironment(IReadOnlyDictionary<string, string> variables)
{
    public IReadOnlyDictionary<string, string> Variables { get; } = variables;

    public string? this[string name] => Variables.TryGetValue(name, out var value) ? value : null;

    /// <summary>The script path of <c>agi://host/temp-password</c>, without its query: <c>temp-password</c>.</summary>
    public string? NetworkScript => this["agi_network_script"] is { } script ? script.Split('?', 2)[0].Trim('/') : null;

    /// <summary>Asterisk's unique id of the channel (<c>agi_uniqueid</c>).</summary>
    public string? UniqueId => this["agi_uniqueid"];

    /// <summary>The caller's number (<c>agi_callerid</c>); <c>unknown</c> when the network gave none.</summary>
    public string? CallerId => this["agi_callerid"];

    /// <summary>The presentation indicator (<c>agi_callingpres</c>), when it is a number.</summary>
    public int? CallingPresentation =>
        int.TryParse(this["agi_callingpres"], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The AGI arguments, <c>agi_arg_1</c> onwards, in order.</summary>
    public IReadOnlyList<string> Arguments
    {
        get
        {
            var arguments = new List<string>();
            while (this[$"agi_arg_{arguments.Count + 1}"] is { } argument)
            {
                arguments.Add(argument);
            }
            return arguments;
        }
    }
}
