using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ivr.FastAgi;
using Ivr.Lab;

namespace Ivr.Server.Tests.Support;

/// <summary>
/// Asterisk's side of one FastAGI call, answering each command when and how the test says (an input held past the
/// end of a grace period, a readback held while the database freezes), and recording what the caller heard, when,
/// and how the call ended. The lab's <see cref="SimulatedAsterisk"/> answers on its own clock; fault tests need this one.
/// </summary>
public static class ScriptedAsterisk
{
    /// <summary>Asterisk 22's reply to a <c>GET DATA</c> the caller ended by keying <paramref name="digits"/> (SPEC §7).</summary>
    public static string Keys(string digits) => $"200 result={digits}";

    /// <summary>The caller hangs up during the command: <c>-1</c>, then Asterisk's <c>HANGUP</c> line (SPEC §7).</summary>
    public const string CallerHangsUp = "200 result=-1\nHANGUP";

    /// <summary>
    /// Runs one call. <paramref name="answer"/> is asked for every command and returns the reply, or null for what
    /// Asterisk answers a prompt, a readback or a <c>HANGUP</c>; a <c>GET DATA</c> must be answered.
    /// </summary>
    public static async Task<ScriptedCall> CallAsync(
        IPEndPoint server, string callId, string callerId, Func<AgiCommandLine, Task<string?>> answer, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var call = new ScriptedCall(callId);
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await socket.ConnectAsync(server, timeout.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await WriteAsync(stream, Environment(callId, callerId), timeout.Token);
            var repliedAt = clock.Elapsed;
            var replied = "the environment";
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                var command = AgiCommandLine.Parse(line);
                call.Commands.Add((command.Verb, clock.Elapsed));
                call.Silences.Add((replied, clock.Elapsed - repliedAt));
                if (call.End is not null)
                {
                    call.Problems.Add($"{command.Verb} after the call was over");
                    await WriteAsync(stream, "511 Command Not Permitted on a dead channel or intercept routine\n", timeout.Token);
                    continue;
                }
                var reply = await answer(command) ?? command.Verb switch
                {
                    "STREAM FILE" or "SAY DIGITS" => "200 result=0 endpos=8000",
                    "HANGUP" => "200 result=1\nHANGUP",
                    _ => throw new InvalidOperationException($"the test did not answer {line}"),
                };
                call.Heard.Add(command.Verb == "SAY DIGITS" ? "digits:" + command.Arguments[0] : command.Verb == "HANGUP" ? "HANGUP" : command.Arguments[0]);
                if (command.Verb == "HANGUP")
                {
                    (call.End, call.HungUpAt) = (LabCallEnd.SystemHangup, clock.Elapsed);
                }
                else if (reply == CallerHangsUp)
                {
                    call.End = LabCallEnd.CallerHangup;
                }
                await WriteAsync(stream, reply + "\n", timeout.Token);
                (repliedAt, replied) = (clock.Elapsed, $"{command.Verb} {command.Arguments.FirstOrDefault()}");
            }
            call.End ??= LabCallEnd.ServerClosed;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            call.End = LabCallEnd.ServerSilent;
        }
        catch (IOException)
        {
            call.End ??= LabCallEnd.ServerClosed; // a reset is the server closing too
        }
        call.ClosedAt = clock.Elapsed;
        return call;
    }

    private static Task WriteAsync(NetworkStream stream, string text, CancellationToken cancellationToken) =>
        stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).AsTask();

    private static string Environment(string callId, string callerId) => $"""
        agi_network: yes
        agi_network_script: temp-password
        agi_request: agi://127.0.0.1/temp-password
        agi_channel: PJSIP/fault-{callId}
        agi_language: ja
        agi_uniqueid: {callId}
        agi_version: 22.0.0
        agi_callerid: {callerId}
        agi_callingpres: 0
        agi_context: temp-password
        agi_extension: s
        agi_priority: 3


        """.Replace("\r\n", "\n");
}

/// <summary>What the caller of a <see cref="ScriptedAsterisk"/> call heard and when, from the moment the call began.</summary>
public sealed class ScriptedCall(string callId)
{
    public string CallId { get; } = callId;

    /// <summary>Prompt ids, <c>digits:N</c> and <c>HANGUP</c>, in order.</summary>
    public List<string> Heard { get; } = [];

    public List<(string Verb, TimeSpan At)> Commands { get; } = [];

    /// <summary>For every command, how long the caller waited for it after Asterisk's previous reply: dead air on the line.</summary>
    public List<(string After, TimeSpan Wait)> Silences { get; } = [];

    public List<string> Problems { get; } = [];

    /// <summary>Null while the call is in progress; <see cref="LabCallEnd.ServerClosed"/> is a call closed without a word.</summary>
    public LabCallEnd? End { get; set; }

    public TimeSpan? HungUpAt { get; set; }

    public TimeSpan ClosedAt { get; set; }

    /// <summary>The last prompt before the server's <c>HANGUP</c>.</summary>
    public string? LastPrompt => Heard.LastOrDefault(h => h != "HANGUP");

    public override string ToString() => $"{CallId}: {string.Join(", ", Heard)} ({End})";
}
