using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace Ivr.Sip.Tests.Support;

/// <summary>
/// A scripted SIP user agent client for calls a softphone cannot make: from a chosen loopback address (the carrier's,
/// or another host's), with the headers a carrier's network asserts. UDP; INVITE with an SDP offer (PCMU and
/// RFC 4733 telephone-event), ACK, RTP (silence, and DTMF as telephone-event packets), BYE.
/// </summary>
internal sealed partial class ScriptedUac : ICallingParty, IAsyncDisposable
{
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    private readonly UdpClient _sip;
    private readonly UdpClient _rtp;
    private readonly IPEndPoint _asterisk;
    private readonly SipInvite _invite;
    private readonly string _callId = $"{Guid.NewGuid():N}@sip-tests";
    private readonly string _fromTag = Guid.NewGuid().ToString("N")[..10];
    private readonly Channel<SipMessage> _responses = Channel.CreateUnbounded<SipMessage>();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _reading;
    private RtpSender? _media;
    private Task _sending = Task.CompletedTask;
    private int _cseq;
    private string _to;
    private string _remoteTarget;
    private string? _ack;

    private ScriptedUac(IPAddress from, IPEndPoint asterisk, SipInvite invite)
    {
        _sip = new UdpClient(new IPEndPoint(from, 0));
        _rtp = new UdpClient(new IPEndPoint(from, 0));
        _asterisk = asterisk;
        _invite = invite;
        _to = $"<sip:{invite.Number}@{asterisk}>";
        _remoteTarget = $"sip:{invite.Number}@{asterisk}";
        _reading = ReadAsync();
    }

    /// <summary>The final response to the INVITE: 200 when Asterisk answered.</summary>
    public int FinalStatus { get; private set; }

    private IPEndPoint Local => (IPEndPoint)_sip.Client.LocalEndPoint!;

    /// <summary>Places the call and returns once it is answered or refused (<see cref="FinalStatus"/>).</summary>
    public static async Task<ScriptedUac> CallAsync(IPAddress from, IPEndPoint asterisk, SipInvite invite)
    {
        var uac = new ScriptedUac(from, asterisk, invite);
        try
        {
            await uac.InviteAsync();
        }
        catch
        {
            await uac.DisposeAsync();
            throw;
        }
        return uac;
    }

    /// <summary>Keys digits, <c>*</c> and <c>#</c> as RFC 4733 events; returns when the last one has been sent.</summary>
    public Task SendDigitsAsync(string keys) =>
        (_media ?? throw new InvalidOperationException("the call was not answered")).SendKeysAsync(keys);

    public async Task HangUpAsync()
    {
        await SendAsync(Request("BYE", ++_cseq, _remoteTarget, _to, Branch()));
        var ok = await NextResponseAsync("BYE");
        Assert.That(ok.Status, Is.EqualTo(200), "Asterisk's answer to our BYE");
        _ended.TrySetResult();
    }

    /// <summary>Waits for the call to end: Asterisk's BYE, or ours answered.</summary>
    public async Task WaitForEndAsync(TimeSpan timeout)
    {
        try
        {
            await _ended.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new AssertionException($"Asterisk did not end the call within {timeout.TotalSeconds} s");
        }
    }

    private async Task InviteAsync()
    {
        var branch = Branch();
        var authorization = (string?)null;
        while (true)
        {
            var cseq = ++_cseq;
            await SendAsync(Request("INVITE", cseq, _remoteTarget, _to, branch, authorization, Offer()));
            SipMessage response;
            do
            {
                response = await NextResponseAsync("INVITE");
            }
            while (response.Status < 200);

            if (response.Status >= 300)
            {
                // A non-2xx final response is acknowledged in the INVITE's own transaction.
                await SendAsync(Request("ACK", cseq, _remoteTarget, response.Header("To")!, branch));
                if (response.Status == 401 && _invite.Credentials is { } credentials && authorization is null)
                {
                    authorization = Authorization(response, credentials);
                    branch = Branch();
                    continue;
                }
                FinalStatus = response.Status;
                return;
            }
            FinalStatus = response.Status;
            _to = response.Header("To")!;
            _remoteTarget = UriInBrackets().Match(response.Header("Contact")!).Groups["uri"].Value;
            _ack = Request("ACK", cseq, _remoteTarget, _to, Branch());
            await SendAsync(_ack);
            _media = new RtpSender(_rtp, RemoteMedia(response.Body), TelephoneEventType(response.Body));
            _sending = _media.RunAsync(_invite.MediaDelay, _stopping.Token);
            return;
        }
    }

    private string Offer()
    {
        var rtp = (IPEndPoint)_rtp.Client.LocalEndPoint!;
        return $"v=0\r\no=- 1 1 IN IP4 {rtp.Address}\r\ns=-\r\nc=IN IP4 {rtp.Address}\r\nt=0 0\r\n" +
            $"m=audio {rtp.Port} RTP/AVP {RtpSender.AudioPayloadType} 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n" +
            "a=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";
    }

    private string Request(string method, int cseq, string uri, string to, string branch, string? authorization = null, string body = "")
    {
        var request = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{method} {uri} SIP/2.0\r\n")
            .Append(CultureInfo.InvariantCulture, $"Via: SIP/2.0/UDP {Local};branch={branch};rport\r\n")
            .Append("Max-Forwards: 70\r\n")
            .Append(CultureInfo.InvariantCulture, $"From: <sip:{_invite.FromUser}@{Local.Address}>;tag={_fromTag}\r\n")
            .Append(CultureInfo.InvariantCulture, $"To: {to}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Call-ID: {_callId}\r\n")
            .Append(CultureInfo.InvariantCulture, $"CSeq: {cseq} {method}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Contact: <sip:{_invite.FromUser}@{Local}>\r\n");
        if (method == "INVITE")
        {
            if (_invite.AssertedIdentity is { } identity)
            {
                request.Append(CultureInfo.InvariantCulture, $"P-Asserted-Identity: {identity}\r\n");
            }
            if (_invite.Privacy is { } privacy)
            {
                request.Append(CultureInfo.InvariantCulture, $"Privacy: {privacy}\r\n");
            }
            if (authorization is not null)
            {
                request.Append(CultureInfo.InvariantCulture, $"Authorization: {authorization}\r\n");
            }
            request.Append("Content-Type: application/sdp\r\n");
        }
        return request.Append(CultureInfo.InvariantCulture, $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}").ToString();
    }

    // RFC 2617 digest with qop=auth over MD5, the challenge every SIP phone answers.
    private string Authorization(SipMessage challenge, (string User, string Password) credentials)
    {
        var header = challenge.Headers("WWW-Authenticate").First(value => !value.Contains("SHA-256", StringComparison.OrdinalIgnoreCase));
        var parameters = DigestParameter().Matches(header).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value, StringComparer.OrdinalIgnoreCase);
        var realm = parameters["realm"];
        var nonce = parameters["nonce"];
        var cnonce = Guid.NewGuid().ToString("N")[..16];
        var ha1 = Md5($"{credentials.User}:{realm}:{credentials.Password}");
        var ha2 = Md5($"INVITE:{_remoteTarget}");
        var response = Md5($"{ha1}:{nonce}:00000001:{cnonce}:auth:{ha2}");
        var opaque = parameters.TryGetValue("opaque", out var value) ? $",opaque=\"{value}\"" : "";
        return $"Digest username=\"{credentials.User}\",realm=\"{realm}\",nonce=\"{nonce}\",uri=\"{_remoteTarget}\"," +
            $"response=\"{response}\",algorithm=MD5,cnonce=\"{cnonce}\",qop=auth,nc=00000001{opaque}";
    }

#pragma warning disable CA5351 // SIP digest authentication is defined over MD5.
    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    private static IPEndPoint RemoteMedia(string sdp) =>
        new(IPAddress.Parse(SdpConnection().Match(sdp).Groups["address"].Value), int.Parse(SdpAudio().Match(sdp).Groups["port"].Value, CultureInfo.InvariantCulture));

    private static byte TelephoneEventType(string sdp) =>
        SdpTelephoneEvent().Match(sdp) is { Success: true } match ? byte.Parse(match.Groups["type"].Value, CultureInfo.InvariantCulture) : (byte)101;

    private async Task<SipMessage> NextResponseAsync(string method)
    {
        using var limit = new CancellationTokenSource(ResponseTimeout);
        try
        {
            while (true)
            {
                var response = await _responses.Reader.ReadAsync(limit.Token);
                if (response.CSeqMethod == method)
                {
                    return response;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new AssertionException($"Asterisk did not answer our {method} within {ResponseTimeout.TotalSeconds} s");
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            while (true)
            {
                var datagram = await _sip.ReceiveAsync(_stopping.Token);
                var message = SipMessage.Parse(datagram.Buffer);
                if (message.IsResponse)
                {
                    // Asterisk repeats its 200 OK until it sees our ACK.
                    if (message.CSeqMethod == "INVITE" && message.Status is >= 200 and < 300 && _ack is not null)
                    {
                        await SendAsync(_ack);
                        continue;
                    }
                    _responses.Writer.TryWrite(message);
                    continue;
                }
                await SendAsync(Answer(message));
                if (message.Method == "BYE")
                {
                    _ended.TrySetResult();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    // 200 OK to whatever Asterisk asks in the dialog (its BYE), copying the headers that name the transaction.
    private static string Answer(SipMessage request)
    {
        var answer = new StringBuilder("SIP/2.0 200 OK\r\n");
        foreach (var name in new[] { "Via", "From", "To", "Call-ID", "CSeq" })
        {
            foreach (var value in request.Headers(name))
            {
                answer.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
            }
        }
        return answer.Append("Content-Length: 0\r\n\r\n").ToString();
    }

    private async Task SendAsync(string message) => await _sip.SendAsync(Encoding.UTF8.GetBytes(message), _asterisk);

    private static string Branch() => $"z9hG4bK{Guid.NewGuid():N}";

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _sending;
        _sip.Dispose();
        _rtp.Dispose();
        await _reading;
        _stopping.Dispose();
    }

    [GeneratedRegex("<(?<uri>[^>]+)>")]
    private static partial Regex UriInBrackets();

    [GeneratedRegex("""(?<name>\w+)="?(?<value>[^",]*)"?""")]
    private static partial Regex DigestParameter();

    [GeneratedRegex(@"^c=IN IP4 (?<address>\S+)", RegexOptions.Multiline)]
    private static partial Regex SdpConnection();

    [GeneratedRegex(@"^m=audio (?<port>\d+)", RegexOptions.Multiline)]
    private static partial Regex SdpAudio();

    [GeneratedRegex(@"^a=rtpmap:(?<type>\d+) telephone-event/8000", RegexOptions.Multiline)]
    private static partial Regex SdpTelephoneEvent();
}
