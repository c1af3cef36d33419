using System.Text.RegularExpressions;

namespace Ivr.Sip.Tests.Support;

/// <summary>
/// What a caller heard, from Asterisk's own log: each file it played on the channel (<c>&lt;PJSIP/…&gt; Playing
/// 'temp-password/select-unit.slin'</c>, verbose 3, for STREAM FILE, GET DATA, SAY DIGITS and Playback alike),
/// with a readback's digit files joined as <c>digits:0612345678</c>.
/// </summary>
internal static partial class Heard
{
    public static IReadOnlyList<string> On(IEnumerable<string> lines, string channel)
    {
        var heard = new List<string>();
        foreach (var line in lines.Where(line => line.Contains($"<{channel}> Playing '", StringComparison.Ordinal)))
        {
            var file = PlayedFile().Match(line).Groups["file"].Value;
            if (file.StartsWith("digits/", StringComparison.Ordinal))
            {
                var digit = file["digits/".Length..];
                if (heard.Count > 0 && heard[^1].StartsWith("digits:", StringComparison.Ordinal))
                {
                    heard[^1] += digit;
                    continue;
                }
                file = "digits:" + digit;
            }
            heard.Add(file);
        }
        return heard;
    }

    /// <summary>Whether the line says the channel started playing this prompt.</summary>
    public static bool IsPlaying(string line, string channel, string prompt) =>
        line.Contains($"<{channel}> Playing '{prompt}.", StringComparison.Ordinal);

    // Asterisk names the format it chose (.slin), not the file's extension.
    [GeneratedRegex(@"Playing '(?<file>[^']+)\.[a-z0-9]+'")]
    private static partial Regex PlayedFile();
}
