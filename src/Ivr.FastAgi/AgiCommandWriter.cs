using System.Buffers;
using System.Text;

namespace Ivr.FastAgi;

/// <summary>
/// Writes one command line. Every argument is checked and, when it holds a space, a quote or a backslash,
/// sent double-quoted and escaped (res_agi.c's <c>parse_args</c> undoes exactly that); an empty one is <c>""</c>.
/// </summary>
public static class AgiCommandWriter
{
    public static void Write(IBufferWriter<byte> output, string verb, ReadOnlySpan<string> arguments)
    {
        Utf8(output, verb);
        foreach (var argument in arguments)
        {
            Utf8(output, " ");
            WriteArgument(output, argument);
        }
        Utf8(output, "\n");
    }

    private static void WriteArgument(IBufferWriter<byte> output, string argument)
    {
        if (argument.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException("an AGI argument cannot hold a line break or NUL", nameof(argument));
        }
        if (argument.Length > 0 && argument.AsSpan().IndexOfAny(" \t\"\\") < 0)
        {
            Utf8(output, argument);
            return;
        }
        var quoted = new StringBuilder(argument.Length + 2).Append('"');
        foreach (var c in argument)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\');
            }
            quoted.Append(c);
        }
        Utf8(output, quoted.Append('"').ToString());
    }

    private static void Utf8(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
