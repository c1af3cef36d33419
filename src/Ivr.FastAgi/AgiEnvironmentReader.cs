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
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
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
            // Invalid UTF-8 (a calleridname from a broken device) becomes U+FFFD rather than ending the call.
            var text = Encoding.UTF8.GetString(line);
            var colon = text.IndexOf(": ", StringComparison.Ordinal);
            var name = colon > 0 ? text[..colon] : text.TrimEnd(':');
            if (!name.StartsWith("agi_", StringComparison.Ordinal) || name.AsSpan().ContainsAny(" \t"))
            {
                throw new AgiProtocolException(AgiProtocolError.MalformedEnvironmentLine);
            }
            variables[name] = colon > 0 ? text[(colon + 2)..] : "";
        }
        return false;
    }
}
