using System.Buffers;
using System.IO.Pipelines;

namespace Ivr.FastAgi;

/// <summary>Reads the environment block: <c>agi_name: value</c> lines ended by an empty line, within <see cref="FastAgiLimits"/>.</summary>
public static class AgiEnvironmentReader
{
    public static async Task<AgiEnvironment> ReadAsync(PipeReader input, FastAgiLimits limits)
    {
        using var timeout = new CancellationTokenSource(limits.EnvironmentTimeout);
        // Lines already checked, and where they end, while the block is still arriving: it stays in the pipe until
        // it is whole, then is copied out in one piece.
        var (lines, checkedLength) = (0, 0L);
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(timeout.Token);
                var rest = read.Buffer.Slice(checkedLength);
                var ended = TryCheckLines(ref rest, ref lines, limits);
                var blockEnd = read.Buffer.Length - rest.Length;
                if (ended)
                {
                    // Whatever follows the block (a HANGUP already) is not examined yet: the session reads it next.
                    var block = ArrayPool<byte>.Shared.Rent((int)blockEnd);
                    var length = CopyNormalised(read.Buffer.Slice(0, blockEnd), block);
                    input.AdvanceTo(rest.Start);
                    return new AgiEnvironment(block, length);
                }
                checkedLength = blockEnd;
                input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                if (read.IsCompleted)
                {
                    throw new AgiProtocolException(AgiProtocolError.EndOfStreamInEnvironment);
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new AgiProtocolException(AgiProtocolError.EnvironmentTimeout);
        }
    }

    /// <summary>Checks complete lines off the buffer; true once the empty line that ends the block is taken.</summary>
    private static bool TryCheckLines(ref ReadOnlySequence<byte> buffer, ref int lines, FastAgiLimits limits)
    {
        while (AgiLineReader.TryReadLine(ref buffer, limits.MaxLineLength, out var line))
        {
            if (line.IsEmpty)
            {
                return true;
            }
            if (++lines > limits.MaxEnvironmentLines)
            {
                throw new AgiProtocolException(AgiProtocolError.EnvironmentTooLarge);
            }
            var name = AgiEnvironment.Split(line.IsSingleSegment ? line.FirstSpan : line.ToArray(), out _);
            if (!name.StartsWith("agi_"u8) || name.ContainsAny((byte)' ', (byte)'\t'))
            {
                throw new AgiProtocolException(AgiProtocolError.MalformedEnvironmentLine);
            }
        }
        return false;
    }

    // Lines may end in "\r\n" (AgiLineReader drops that '\r'): the environment keeps "\n" alone, so no value carries it.
    private static int CopyNormalised(in ReadOnlySequence<byte> source, byte[] block)
    {
        source.CopyTo(block);
        var length = (int)source.Length;
        if (block.AsSpan(0, length).IndexOf("\r\n"u8) < 0)
        {
            return length; // what Asterisk sends: nothing to drop
        }
        var kept = 0;
        for (var i = 0; i < length; i++)
        {
            if (block[i] != (byte)'\r' || i + 1 == length || block[i + 1] != (byte)'\n')
            {
                block[kept++] = block[i];
            }
        }
        return kept;
    }
}
