using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Ivr.FastAgi;

/// <summary>
/// Writes one command line into the output's own buffer, with no string made on the way. Every argument is checked
/// and, when it holds a space, a tab, a quote or a backslash, sent double-quoted and escaped (res_agi.c's
/// <c>parse_args</c> undoes exactly that); an empty one is <c>""</c>.
/// </summary>
public static class AgiCommandWriter
{
    public static void Write(IBufferWriter<byte> output, string verb, params ReadOnlySpan<string> arguments)
    {
        foreach (var argument in arguments)
        {
            Check(argument);
        }
        Utf8(output, verb);
        foreach (var argument in arguments)
        {
            WriteArgument(output, argument);
        }
        EndLine(output);
    }

    /// <summary>A command whose last arguments are numbers (<c>GET DATA file timeout max-digits</c>).</summary>
    public static void Write(IBufferWriter<byte> output, string verb, string argument, long number1, long number2)
    {
        Check(argument);
        Utf8(output, verb);
        WriteArgument(output, argument);
        WriteNumber(output, number1);
        WriteNumber(output, number2);
        EndLine(output);
    }

    // Every argument is checked before a byte is written: a refused command leaves nothing behind in the output.
    private static void Check(string argument)
    {
        if (argument.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException("an AGI argument cannot hold a line break or NUL", nameof(argument));
        }
    }

    private static void WriteArgument(IBufferWriter<byte> output, string argument)
    {
        Utf8(output, " ");
        if (argument.Length > 0 && argument.AsSpan().IndexOfAny(" \t\"\\") < 0)
        {
            Utf8(output, argument);
            return;
        }
        Utf8(output, "\"");
        var rest = argument.AsSpan();
        for (var special = rest.IndexOfAny('"', '\\'); special >= 0; special = rest.IndexOfAny('"', '\\'))
        {
            Utf8(output, rest[..special]);
            Utf8(output, "\\");
            Utf8(output, rest.Slice(special, 1));
            rest = rest[(special + 1)..];
        }
        Utf8(output, rest);
        Utf8(output, "\"");
    }

    private static void WriteNumber(IBufferWriter<byte> output, long number)
    {
        Utf8(output, " ");
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(number, span, out var written);
        output.Advance(written);
    }

    private static void EndLine(IBufferWriter<byte> output) => Utf8(output, "\n");

    private static void Utf8(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
