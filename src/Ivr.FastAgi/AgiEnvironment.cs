using System.Buffers;
using System.Globalization;
using System.Text;

namespace Ivr.FastAgi;

/// <summary>
/// The <c>agi_*</c> variables Asterisk sends when it hands a call over. Any of them may be missing
/// (<c>agi_network_script</c> is absent when the URL has no path); values are UTF-8 text.
/// </summary>
/// <remarks>
/// The block is kept as the bytes that came, checked line by line by <see cref="AgiEnvironmentReader"/>, and a value
/// becomes text only when it is asked for: a call reads four of Asterisk's twenty-odd variables, and the rest would
/// otherwise be strings the call holds for its whole life. The bytes are in a pooled array, given back when the
/// session ends (<see cref="Release"/>): what every open call holds is copied by the young collections while its caller
/// keys, and a block of its own was ~0.6 KB of the ~4.3 KB a call held (docs/benchmarks.md). After that, only the
/// unique id is left.
/// </remarks>
public sealed class AgiEnvironment
{
    private byte[]? _block;
    private readonly int _length;
    private readonly string? _uniqueId;

    /// <param name="block">
    /// Rented from <see cref="ArrayPool{T}.Shared"/>: the environment's lines, each <c>agi_name: value</c> ended by
    /// <c>\n</c>, then the empty line, in its first <paramref name="length"/> bytes.
    /// </param>
    internal AgiEnvironment(byte[] block, int length)
    {
        (_block, _length) = (block, length);
        _uniqueId = this["agi_uniqueid"];
    }

    /// <summary>Gives the block back to the pool: every variable but the unique id reads as absent from then on.</summary>
    internal void Release()
    {
        if (Interlocked.Exchange(ref _block, null) is { } block)
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    /// <summary>The value of <paramref name="name"/>, or null when Asterisk did not send it (the last one when it sent it twice).</summary>
    public string? this[string name]
    {
        get
        {
            Span<byte> wanted = stackalloc byte[Encoding.UTF8.GetMaxByteCount(name.Length)];
            wanted = wanted[..Encoding.UTF8.GetBytes(name, wanted)];
            string? value = null;
            var block = _block is { } kept ? kept.AsSpan(0, _length) : default;
            for (var start = 0; start < block.Length;)
            {
                var length = block[start..].IndexOf((byte)'\n');
                var line = block.Slice(start, length);
                start += length + 1;
                if (Split(line, out var lineValue).SequenceEqual(wanted))
                {
                    // Invalid UTF-8 (a calleridname from a broken device) becomes U+FFFD rather than ending the call.
                    value = Encoding.UTF8.GetString(lineValue);
                }
            }
            return value;
        }
    }

    /// <summary>
    /// One line of the block, <c>agi_name: value</c> or <c>agi_name:</c> with no value: its name, and its value (empty
    /// when there is none). ':' and ' ' are ASCII, never inside a UTF-8 sequence: splitting the bytes splits the text
    /// the same way.
    /// </summary>
    internal static ReadOnlySpan<byte> Split(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> value)
    {
        var colon = line.IndexOf(": "u8);
        value = colon > 0 ? line[(colon + 2)..] : default;
        return colon > 0 ? line[..colon] : line.TrimEnd((byte)':');
    }

    /// <summary>The script path of <c>agi://host/temp-password</c>, without its query: <c>temp-password</c>.</summary>
    public string? NetworkScript => this["agi_network_script"] is { } script ? script.Split('?', 2)[0].Trim('/') : null;

    /// <summary>Asterisk's unique id of the channel (<c>agi_uniqueid</c>).</summary>
    public string? UniqueId => _uniqueId;

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
