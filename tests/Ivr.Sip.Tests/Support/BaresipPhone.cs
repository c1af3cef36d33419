using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Ivr.Sip.Tests.Support;

/// <summary>
/// A real SIP phone: Debian's baresip, registered as one lab phone, driven through its <c>ctrl_tcp</c> socket
/// (netstring-framed JSON commands: <c>dial</c>, <c>sndcode</c> for RFC 4733 DTMF, <c>hangup</c>).
/// </summary>
internal sealed class BaresipPhone : ICallingParty, IAsyncDisposable
{
    public const string Program = "/usr/bin/baresip";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly IPEndPoint _asterisk;
    private readonly Channel<string> _events = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _responses = Channel.CreateUnbounded<string>();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private TcpClient? _control;
    private Task? _reading;

    private BaresipPhone(string account, Process process, IPEndPoint asterisk)
    {
        Account = account;
        _process = process;
        _asterisk = asterisk;
    }

    /// <summary>The lab phone's account, which is also its PJSIP endpoint's name.</summary>
    public string Account { get; }

    public static async Task<BaresipPhone> StartAsync(string folder, string account, string password, IPEndPoint asterisk)
    {
        Directory.CreateDirectory(folder);
        var sipPort = FreePorts.ForSip(IPAddress.Loopback, following: 1); // baresip listens for TLS on the port after
        var controlPort = FreePorts.ForSip(IPAddress.Loopback);
        var rtp = FreePorts.RtpRange();
        // Headless audio: a sine source (it needs 48 kHz stereo) and ALSA's null device as the player.
        File.WriteAllText(Path.Combine(folder, "config"), $"""
            poll_method epoll
            net_interface 127.0.0.1
            sip_listen 127.0.0.1:{sipPort}
            rtp_ports {rtp}-{rtp + 199}
            audio_player alsa,null
            audio_source ausine,440
            ausrc_srate 48000
            ausrc_channels 2
            module_path /usr/lib/baresip/modules
            module g711.so
            module ausine.so
            module alsa.so
            module_app account.so
            module_app menu.so
            module_app ctrl_tcp.so
            ctrl_tcp_listen 127.0.0.1:{controlPort}

            """);
        File.WriteAllText(Path.Combine(folder, "accounts"),
            $"<sip:{account}@{asterisk};transport=udp>;auth_pass={password};regint=600;answermode=manual;audio_codecs=PCMU\n");
        var start = new ProcessStartInfo("timeout", ["--kill-after=5", "900", Program, "-f", folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var phone = new BaresipPhone(account, process, asterisk);
        try
        {
            await phone.ConnectAsync(controlPort);
        }
        catch
        {
            await phone.DisposeAsync();
            throw;
        }
        return phone;
    }

    /// <summary>Dials a number of the lab dialplan (<c>1000</c>, or the setup number).</summary>
    public Task DialAsync(string number) => CommandAsync("dial", $"sip:{number}@{_asterisk}");

    /// <summary>Keys digits, <c>*</c> and <c>#</c> as RFC 4733 events, one after another.</summary>
    public Task SendDigitsAsync(string keys) => CommandAsync("sndcode", keys);

    public Task HangUpAsync() => CommandAsync("hangup", "");

    /// <summary>Waits for the phone's call to end (<c>CALL_CLOSED</c>), whoever ended it.</summary>
    public async Task WaitForEndAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            while (!(await _events.Reader.ReadAsync(limit.Token)).Contains("\"CALL_CLOSED\"", StringComparison.Ordinal))
            {
            }
        }
        catch (OperationCanceledException)
        {
            throw new AssertionException($"{Account}'s call did not end within {timeout.TotalSeconds} s");
        }
    }

    /// <summary>Forgets events of earlier calls, so that the next wait is about the next call.</summary>
    public void ForgetEvents()
    {
        while (_events.Reader.TryRead(out _))
        {
        }
    }

    private async Task ConnectAsync(int controlPort)
    {
        // ctrl_tcp accepts once baresip is up; the phone is usable once Asterisk has accepted its REGISTER.
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                if (_control is null)
                {
                    var control = new TcpClient();
                    await control.ConnectAsync(IPAddress.Loopback, controlPort);
                    _control = control;
                    _reading = ReadAsync(control.GetStream());
                }
                if ((await CommandAsync("reginfo", "")).Contains("OK", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException)
            {
                _control?.Dispose();
                _control = null;
            }
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new AssertionException($"baresip did not register as {Account} within {StartTimeout.TotalSeconds} s");
            }
            await Task.Delay(200);
        }
    }

    private async Task<string> CommandAsync(string command, string parameters)
    {
        await _sending.WaitAsync();
        try
        {
            var json = JsonSerializer.Serialize(new { command, @params = parameters, token = command });
            var frame = Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetByteCount(json).ToString(CultureInfo.InvariantCulture)}:{json},");
            await _control!.GetStream().WriteAsync(frame);
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var response = await _responses.Reader.ReadAsync(limit.Token);
            using var document = JsonDocument.Parse(response);
            return document.RootElement.TryGetProperty("ok", out var ok) && ok.GetBoolean()
                ? document.RootElement.TryGetProperty("data", out var data) ? data.GetString() ?? "" : ""
                : throw new AssertionException($"baresip refused {command} {parameters}: {response}");
        }
        finally
        {
            _sending.Release();
        }
    }

    // Netstrings: <length>:<json>, … ; responses answer commands in order, events come whenever.
    private async Task ReadAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk)) > 0)
            {
                buffer.AddRange(chunk.AsSpan(0, read));
                while (TryTakeFrame(buffer, out var json))
                {
                    var target = json.Contains("\"response\":true", StringComparison.Ordinal) ? _responses : _events;
                    target.Writer.TryWrite(json);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
    }

    private static bool TryTakeFrame(List<byte> buffer, out string json)
    {
        json = "";
        var colon = buffer.IndexOf((byte)':');
        if (colon < 0 || !int.TryParse(Encoding.ASCII.GetString([.. buffer[..colon]]), CultureInfo.InvariantCulture, out var length)
            || buffer.Count < colon + 1 + length + 1)
        {
            return false;
        }
        json = Encoding.UTF8.GetString([.. buffer.GetRange(colon + 1, length)]);
        buffer.RemoveRange(0, colon + 1 + length + 1);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _control?.Dispose();
        if (_reading is not null)
        {
            await _reading;
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
