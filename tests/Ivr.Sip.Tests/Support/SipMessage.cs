using System.Globalization;
using System.Text;

namespace Ivr.Sip.Tests.Support;

/// <summary>One SIP message as received: its start line, headers (full names; Asterisk writes no compact forms) and body.</summary>
internal sealed class SipMessage
{
    private readonly List<(string Name, string Value)> _headers = [];

    private SipMessage(string startLine, string body)
    {
        StartLine = startLine;
        Body = body;
    }

    public string StartLine { get; }

    public string Body { get; }

    public bool IsResponse => StartLine.StartsWith("SIP/2.0 ", StringComparison.Ordinal);

    /// <summary>A response's status code.</summary>
    public int Status => int.Parse(StartLine.Split(' ')[1], CultureInfo.InvariantCulture);

    /// <summary>A request's method.</summary>
    public string Method => StartLine.Split(' ')[0];

    /// <summary>The method named by CSeq (a response's request).</summary>
    public string CSeqMethod => Header("CSeq")?.Split(' ')[^1] ?? "";

    public string? Header(string name) => Headers(name).FirstOrDefault();

    public IEnumerable<string> Headers(string name) =>
        _headers.Where(header => header.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(header => header.Value);

    public static SipMessage Parse(byte[] datagram)
    {
        var text = Encoding.UTF8.GetString(datagram);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var lines = head.Split("\r\n");
        var message = new SipMessage(lines[0], split < 0 ? "" : text[(split + 4)..]);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                message._headers.Add((line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }
        return message;
    }
}
