using System.Text;

namespace Ivr.FastAgi;

/// <summary>
/// A command line as Asterisk reads it: words split on spaces, double-quoted arguments with <c>\"</c> and
/// <c>\\</c> escapes (res_agi.c's <c>parse_args</c>). The lab's simulated Asterisk uses it; it undoes
/// <see cref="AgiCommandWriter"/>.
/// </summary>
public sealed record AgiCommandLine(string Verb, IReadOnlyList<string> Arguments)
{
    // The commands whose names are two words; the rest are one word (HANGUP, ANSWER, NOOP, ...).
    private static readonly string[] TwoWordVerbs = ["STREAM FILE", "GET DATA", "SAY DIGITS", "SAY NUMBER", "SET VARIABLE", "GET VARIABLE", "CHANNEL STATUS", "WAIT FOR", "CONTROL STREAM", "RECEIVE CHAR", "SEND TEXT"];

    public static AgiCommandLine Parse(string line)
    {
        var words = Split(line);
        if (words.Count == 0)
        {
            return new AgiCommandLine("", []);
        }
        var twoWords = words.Count > 1 ? $"{words[0]} {words[1]}" : null;
        return twoWords is not null && TwoWordVerbs.Contains(twoWords, StringComparer.OrdinalIgnoreCase)
            ? new AgiCommandLine(twoWords.ToUpperInvariant(), words.Skip(2).ToList())
            : new AgiCommandLine(words[0].ToUpperInvariant(), words.Skip(1).ToList());
    }

    private static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool quoted = false, inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                word.Append(line[++i]);
                inWord = true;
            }
            else if (c == '"')
            {
                quoted = !quoted;
                inWord = true;
            }
            else if (c is ' ' or '\t' && !quoted)
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words;
    }
}
