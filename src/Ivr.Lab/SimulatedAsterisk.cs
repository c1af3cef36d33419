using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ivr.FastAgi;

namespace Ivr.Lab;

/// <summary>
/// Plays Asterisk 22's part of a FastAGI call against a real server, over TCP: sends the environment, answers
/// each command as Asterisk does (SPEC §7), delivers the caller's presses to the inputs, and records what the
/// caller heard. It reads and writes with the protocol project's own line reader and command parser.
/// </summary>
public static class SimulatedAsterisk
{
    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs one call. Each press goes to the next <c>GET DATA</c>: digits (ended by <c>#</c> or the digit limit,
    /// else timed out with what was keyed), <c>timeout</c>, or <c>hangup</c>. When presses run out, the caller hangs up.
    /// </summary>
    public static async Task<LabCallRecord> CallAsync(IPEndPoint server, LabCallSetup setup, IReadOnlyList<string> presses, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(CallLimit);
        var call = new Call(stream, setup, presses);
        try
        {
            await call.RunAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            call.End = LabCallEnd.ServerSilent;
        }
        catch (IOException)
        {
            call.Closed(); // a reset is the server closing too
        }
        catch (SocketException)
        {
            call.Closed();
        }
        return call.ToRecord();
    }

    private sealed class Call(NetworkStream stream, LabCallSetup setup, IReadOnlyList<string> presses)
    {
        private readonly PipeReader _input = PipeReader.Create(stream);
        private readonly List<IReadOnlyList<string>> _heard = [];
        private readonly List<string> _segment = [];
        private readonly List<string> _delivered = [];
        private readonly List<string> _problems = [];
        private readonly List<Turnaround> _turnarounds = [];
        private readonly List<TimeSpan> _thinkLag = [];
        private string _lastCommand = "";
        private long _repliedAt;
        private long _environmentSentAt;
        private TimeSpan? _firstCommand;
        private long _hangUpRepliedAt;
        private TimeSpan? _hangUpClose;
        private bool _callerGone;
        private bool _serverHungUp;

        public LabCallEnd? End { get; set; }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            await WriteAsync(Environment(), cancellationToken);
            _environmentSentAt = Stopwatch.GetTimestamp();
            while (await ReadCommandAsync(cancellationToken) is { } line)
            {
                if (_repliedAt != 0)
                {
                    _turnarounds.Add(new Turnaround(_lastCommand, Stopwatch.GetElapsedTime(_repliedAt)));
                }
                else
                {
                    _firstCommand ??= Stopwatch.GetElapsedTime(_environmentSentAt);
                }
                var command = AgiCommandLine.Parse(line);
                _lastCommand = command.Arguments.Count > 0 && command.Verb is "GET DATA" or "STREAM FILE" ? $"{command.Verb} {command.Arguments[0]}" : command.Verb;
                var reply = Answer(command);
                if (setup.PlaybackTime > TimeSpan.Zero && command.Verb is "STREAM FILE" or "GET DATA" or "SAY DIGITS")
                {
                    await Task.Delay(setup.PlaybackTime, cancellationToken);
                }
                if (setup.ThinkTime > TimeSpan.Zero && command.Verb == "GET DATA")
                {
                    await ThinkAsync(cancellationToken);
                }
                await WriteAsync(reply, cancellationToken);
                _repliedAt = Stopwatch.GetTimestamp();
                if (command.Verb == "HANGUP")
                {
                    _hangUpRepliedAt = _repliedAt;
                }
            }
            Closed();
        }

        public void Closed()
        {
            if (_hangUpRepliedAt != 0)
            {
                _hangUpClose ??= Stopwatch.GetElapsedTime(_hangUpRepliedAt);
            }
            End ??= _serverHungUp ? LabCallEnd.SystemHangup : _callerGone ? LabCallEnd.CallerHangup : LabCallEnd.ServerClosed;
        }

        // The caller keys before Asterisk replies to GET DATA, so keying is never inside a turnaround.
        private async Task ThinkAsync(CancellationToken cancellationToken)
        {
            var planned = setup.ThinkTime * (1 + setup.ThinkJitter * (2 * Random.Shared.NextDouble() - 1));
            var started = Stopwatch.GetTimestamp();
            await Task.Delay(planned, cancellationToken);
            _thinkLag.Add(Stopwatch.GetElapsedTime(started) - planned);
        }

        private string Environment()
        {
            var uniqueId = setup.CallId;
            return $"""
                agi_network: yes
                agi_network_script: {setup.Script}
                agi_request: agi://127.0.0.1/{setup.Script}
                agi_channel: PJSIP/lab-{uniqueId}
                agi_language: ja
                agi_type: PJSIP
                agi_uniqueid: {uniqueId}
                agi_version: 22.0.0
                agi_callerid: {setup.CallerId}
                agi_calleridname: ラボ
                agi_callingpres: {setup.CallingPresentation.ToString(CultureInfo.InvariantCulture)}
                agi_callingani2: 0
                agi_callington: 0
                agi_callingtns: 0
                agi_dnid: 0120000000
                agi_rdnis: unknown
                agi_context: temp-password
                agi_extension: s
                agi_priority: 3
                agi_enhanced: 0.0
                agi_accountcode: 
                agi_threadid: 140000000000000


                """.Replace("\r\n", "\n");
        }

        // Answers one command the way Asterisk 22 does; see SPEC §7 for each reply.
        private string Answer(AgiCommandLine command)
        {
            if (_callerGone || _serverHungUp)
            {
                _problems.Add($"the server sent {command.Verb} after the call was over");
                return "511 Command Not Permitted on a dead channel or intercept routine\n";
            }
            switch (command.Verb)
            {
                case "STREAM FILE" when command.Arguments.Count >= 2:
                    _segment.Add(command.Arguments[0]);
                    return IsMissing(command.Arguments[0]) ? "200 result=-1 endpos=0\n" : "200 result=0 endpos=16000\n";
                case "SAY DIGITS" when command.Arguments.Count >= 2:
                    _segment.Add("digits:" + command.Arguments[0]);
                    return "200 result=0\n";
                case "GET DATA" when command.Arguments.Count >= 1:
                    _segment.Add(command.Arguments[0]);
                    return IsMissing(command.Arguments[0]) ? "200 result=-1\n" : Input(MaxDigits(command));
                case "HANGUP":
                    _serverHungUp = true;
                    return "200 result=1\nHANGUP\n";
                case "GET VARIABLE" when command.Arguments.Count == 1:
                    // ENV() of a variable Asterisk's environment lacks reads as empty; no other variable is set.
                    return command.Arguments[0] == AgiCallKey.VariableName ? $"200 result=1 ({setup.Key})\n" : "200 result=0\n";
                case "ANSWER" or "NOOP" or "VERBOSE" or "SET VARIABLE":
                    return "200 result=1\n";
                default:
                    _problems.Add($"the server sent an unknown command {command.Verb}");
                    return "510 Invalid or unknown command\n";
            }
        }

        private bool IsMissing(string file) => setup.MissingPrompts?.Contains(file) == true;

        private static int MaxDigits(AgiCommandLine command) =>
            command.Arguments.Count >= 3 && int.TryParse(command.Arguments[2], CultureInfo.InvariantCulture, out var max) && max > 0 ? max : 1024;

        private string Input(int maxDigits)
        {
            _heard.Add([.. _segment]);
            _segment.Clear();
            if (_delivered.Count == presses.Count)
            {
                _problems.Add("the server asked for more input than the caller had to give; the caller hung up");
                return HangUp();
            }
            var press = presses[_delivered.Count];
            _delivered.Add(press);
            if (press == "hangup")
            {
                return HangUp();
            }
            if (press == "timeout")
            {
                return "200 result= (timeout)\n";
            }
            var keyed = new StringBuilder();
            foreach (var key in press)
            {
                if (key == '#')
                {
                    return $"200 result={keyed}\n";
                }
                keyed.Append(key);
                if (keyed.Length == maxDigits)
                {
                    return $"200 result={keyed}\n";
                }
            }
            return $"200 result={keyed} (timeout)\n";
        }

        // SPEC §7: during GET DATA, Asterisk 22 answers -1 first, then writes HANGUP.
        private string HangUp()
        {
            _callerGone = true;
            return "200 result=-1\nHANGUP\n";
        }

        private async Task<string?> ReadCommandAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var read = await _input.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                if (AgiLineReader.TryReadLine(ref buffer, 8192, out var line))
                {
                    var text = Encoding.UTF8.GetString(line);
                    _input.AdvanceTo(buffer.Start);
                    return text;
                }
                _input.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    return null;
                }
            }
        }

        private async Task WriteAsync(string text, CancellationToken cancellationToken) =>
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

        public LabCallRecord ToRecord()
        {
            if (_segment.Count > 0 || _heard.Count == 0)
            {
                _heard.Add([.. _segment]);
            }
            return new LabCallRecord(_heard, _delivered, End ?? LabCallEnd.ServerClosed, _problems, _turnarounds, _firstCommand, _hangUpClose, _thinkLag);
        }
    }
}
