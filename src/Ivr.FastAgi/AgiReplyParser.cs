using System.Buffers.Text;
using System.Text;

namespace Ivr.FastAgi;

/// <summary>
/// Parses Asterisk's reply lines from bytes, by position rather than by pattern (res_agi.c writes them with
/// fixed formats: <c>200 result=%d</c>, <c>200 result=%s (timeout)</c>, <c>200 result=%d endpos=%ld</c>,
/// <c>200 result=1 (%s)</c>).
/// </summary>
public static class AgiReplyParser
{
    private static ReadOnlySpan<byte> HangUpLine => "HANGUP"u8;
    private static ReadOnlySpan<byte> ResultPrefix => "result="u8;
    private static ReadOnlySpan<byte> EndPosPrefix => "endpos="u8;

    /// <summary>The usage's last line; <see cref="AgiLineKind.UsageStart"/> lines are read until it.</summary>
    public static ReadOnlySpan<byte> UsageEndLine => "520 End of proper usage."u8;

    /// <summary>Classifies a line and, for a <see cref="AgiLineKind.Reply"/>, parses it.</summary>
    public static AgiLineKind Parse(ReadOnlySpan<byte> line, out AgiReply reply)
    {
        reply = default;
        if (line.SequenceEqual(HangUpLine))
        {
            return AgiLineKind.HangUp;
        }
        if (line.Length < 3 || !Utf8Parser.TryParse(line[..3], out int status, out var used) || used != 3
            || (line.Length > 3 && line[3] is not ((byte)' ' or (byte)'-')))
        {
            throw new AgiProtocolException(AgiProtocolError.MalformedReply);
        }
        var rest = line.Length > 4 ? line[4..] : [];
        if (line.Length > 3 && line[3] == (byte)'-')
        {
            return status == AgiReply.UsageError ? AgiLineKind.UsageStart : throw new AgiProtocolException(AgiProtocolError.MalformedReply);
        }
        switch (status)
        {
            case 100:
                return AgiLineKind.Provisional;
            case AgiReply.Success:
                reply = ParseSuccess(rest);
                return AgiLineKind.Reply;
            case AgiReply.InvalidCommand or AgiReply.DeadChannel or AgiReply.UsageError or AgiReply.Failure:
                reply = new AgiReply(status, null, Text: Encoding.UTF8.GetString(rest));
                return AgiLineKind.Reply;
            default:
                throw new AgiProtocolException(AgiProtocolError.MalformedReply);
        }
    }

    private static AgiReply ParseSuccess(ReadOnlySpan<byte> rest)
    {
        if (!rest.StartsWith(ResultPrefix))
        {
            throw new AgiProtocolException(AgiProtocolError.MalformedReply);
        }
        rest = rest[ResultPrefix.Length..];
        var resultEnd = rest.IndexOf((byte)' ');
        var result = Text(resultEnd < 0 ? rest : rest[..resultEnd]);
        rest = resultEnd < 0 ? [] : rest[(resultEnd + 1)..];

        string? data = null;
        if (rest.Length > 0 && rest[0] == (byte)'(')
        {
            // The last one: GET VARIABLE writes the value unescaped between the parentheses, and it may hold one.
            var close = rest.LastIndexOf((byte)')');
            if (close < 0)
            {
                throw new AgiProtocolException(AgiProtocolError.MalformedReply);
            }
            data = Encoding.UTF8.GetString(rest[1..close]);
            rest = rest[(close + 1)..].TrimStart((byte)' ');
        }

        long? endPos = null;
        if (rest.StartsWith(EndPosPrefix))
        {
            if (!Utf8Parser.TryParse(rest[EndPosPrefix.Length..], out long value, out var used) || used != rest.Length - EndPosPrefix.Length)
            {
                throw new AgiProtocolException(AgiProtocolError.MalformedReply);
            }
            endPos = value;
        }
        else if (rest.Length > 0)
        {
            throw new AgiProtocolException(AgiProtocolError.MalformedReply);
        }
        return new AgiReply(AgiReply.Success, result, data, endPos);
    }

    // The commonest results are shared strings, so a STREAM FILE reply allocates nothing.
    private static string Text(ReadOnlySpan<byte> result) => result switch
    {
        [] => "",
        [(byte)'0'] => "0",
        [(byte)'1'] => "1",
        [(byte)'-', (byte)'1'] => "-1",
        _ => Encoding.UTF8.GetString(result),
    };
}
