using System.Buffers;

namespace Ivr.FastAgi;

/// <summary>Splits the peer's bytes into <c>\n</c>-terminated lines (a trailing <c>\r</c> is dropped), never buffering more than a line's limit.</summary>
public static class AgiLineReader
{
    /// <summary>
    /// Takes the next complete line off <paramref name="buffer"/>. Returns false, consuming nothing, when the
    /// line is not complete yet; throws <see cref="AgiProtocolException"/> when it is already longer than allowed.
    /// </summary>
    public static bool TryReadLine(ref ReadOnlySequence<byte> buffer, int maxLineLength, out ReadOnlySequence<byte> line)
    {
        // Look for the end of line only within the limit, so an endless line costs no more than the limit to scan.
        var window = buffer.Length > maxLineLength + 1 ? buffer.Slice(0, maxLineLength + 1) : buffer;
        var end = window.PositionOf((byte)'\n');
        if (end is null)
        {
            line = default;
            return window.Length > maxLineLength ? throw new AgiProtocolException(AgiProtocolError.LineTooLong) : false;
        }
        line = buffer.Slice(0, end.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
        if (line.Length > 0 && EndsWithCarriageReturn(line))
        {
            line = line.Slice(0, line.Length - 1);
        }
        return true;
    }

    private static bool EndsWithCarriageReturn(in ReadOnlySequence<byte> line) =>
        line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r';
}
