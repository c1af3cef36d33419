using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Ivr.FastAgi;

/// <summary>Reads the environment block: <c>agi_name: value</c> lines ended by an empty line, within <see cref="FastAgiLimits"/>.</summary>
public static class AgiEnvironmentReader
{
    public static async Task<AgiEnvironment> ReadAsync(PipeReader input, FastAgiLimits limits, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.EnvironmentTimeout);
        var variables = new Dictionary<string, string>(ExpectedVariables, StringComparer.Ordinal);
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(timeout.Token);
                var buffer = read.Buffer;
                if (TryTakeLines(ref buffer, variables, limits))
                {
                    // Whatever follows the block (a HANGUP already) is not examined yet: the session reads it next.
                    input.AdvanceTo(buffer.Start);
                    return new AgiEnvironment(variables);
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    throw new AgiProtocolException(AgiProtocolError.EndOfStreamInEnvironment);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AgiProtocolException(AgiProtocolError.EnvironmentTimeout);
        }
    }

    // Asterisk 22 sends about 20 variables plus one per argument: sized once, never grown for a normal call.
    private const int ExpectedVariables = 32;

    // The names Asterisk sends on every call are shared strings rather than one more string per line and call.
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownNames = new HashSet<string>(
    [
        "agi_network", "agi_network_script", "agi_request", "agi_channel", "agi_language", "agi_type", "agi_uniqueid",
        "agi_version", "agi_callerid", "agi_calleridname", "agi_callingpres", "agi_callingani2", "agi_callington",
        "agi_callingtns", "agi_dnid", "agi_rdnis", "agi_context", "agi_extension", "agi_priority", "agi_enhanced",
        "agi_accountcode", "agi_threadid", "agi_arg_1", "agi_arg_2", "agi_arg_3",
    ], StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private static string Name(ReadOnlySpan<byte> name)
    {
        Span<char> chars = stackalloc char[64];
        if (name.Length <= chars.Length && Encoding.UTF8.TryGetChars(name, chars, out var written)
            && KnownNames.TryGetValue(chars[..written], out var known))
        {
            return known;
        }
        return Encoding.UTF8.GetString(name);
    }

    /// <summary>Takes complete lines off the buffer; true once the empty line that ends the block is taken.</summary>
    public static bool TryTakeLines(ref ReadOnlySequence<byte> buffer, Dictionary<string, string> variables, FastAgiLimits limits)
    {
        while (AgiLineReader.TryReadLine(ref buffer, limits.MaxLineLength, out var line))
        {
            if (line.IsEmpty)
            {
                return true;
            }
            if (variables.Count >= limits.MaxEnvironmentLines)
            {
                throw new AgiProtocolException(AgiProtocolError.EnvironmentTooLarge);
            }
            var bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
            // ':' and ' ' are ASCII, never inside a UTF-8 sequence: splitting the bytes splits the text the same way.
            var colon = bytes.IndexOf(": "u8);
            var nameBytes = colon > 0 ? bytes[..colon] : bytes.TrimEnd((byte)':');
            if (!nameBytes.StartsWith("agi_"u8) || nameBytes.ContainsAny((byte)' ', (byte)'\t'))
            {
                throw new AgiProtocolException(AgiProtocolError.MalformedEnvironmentLine);
            }
            // Invalid UTF-8 (a calleridname from a broken device) becomes U+FFFD rather than ending the call.
            variables[Name(nameBytes)] = colon > 0 ? Encoding.UTF8.GetString(bytes[(colon + 2)..]) : "";
        }
        return false;
    }
}
