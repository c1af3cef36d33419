using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Threading.Tasks.Sources;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Ivr.FastAgi;

/// <summary>
/// One call over FastAGI: the environment Asterisk sent, commands out, replies in. A background reader takes
/// every line as it arrives, so Asterisk's <c>HANGUP</c> cancels <see cref="HangUp"/> at once, even while no
/// command is in flight (the server may be hashing or committing).
/// </summary>
/// <remarks>
/// Failures come in three kinds: the caller is gone (<see cref="OperationCanceledException"/> for
/// <see cref="HangUp"/>: <c>HANGUP</c>, <c>511</c>, end of stream), a command failed on a live channel
/// (<see cref="AgiCommandException"/>), or the peer broke the protocol (<see cref="AgiProtocolException"/>).
/// The connection is closed the moment the call is over (our <c>HANGUP</c> answered, or the caller gone), not
/// when the script ends: Asterisk holds the channel's thread until the server closes, and what the script still
/// has to do (its audit row) need not keep it.
/// </remarks>
public sealed class AgiSession : IAsyncDisposable, IValueTaskSource<AgiReply>
{
    private readonly IDuplexPipe _transport;
    private readonly FastAgiLimits _limits;
    private readonly ILogger _logger;
    private readonly FastAgiMetrics _metrics;
    private readonly CancellationTokenSource _hangUp = new();
    private readonly Task _reading;
    private readonly Timer _replyTimer;

    // The one reply slot, reused by every command: no task, promise or timer is allocated per command.
    // Continuations never run inline on the reader (a script continuing synchronously could end the call and
    // dispose the session, which waits for this very reader).
    private ManualResetValueTaskSourceCore<AgiReply> _reply = new() { RunContinuationsAsynchronously = true };
    private readonly Lock _lock = new();
    private bool _awaitingReply;
    private long _sentAt;
    private long _repliedAt;
    private bool _writing;
    private bool _callOver;
    private bool _outputCompleted;
    private bool _disposed;
    private StringBuilder? _usage;
    private AgiProtocolException? _broken;

    private AgiSession(IDuplexPipe transport, AgiEnvironment environment, FastAgiLimits limits, FastAgiMetrics metrics, ILogger logger)
    {
        _transport = transport;
        _limits = limits;
        _metrics = metrics;
        _logger = logger;
        Environment = environment;
        _replyTimer = new Timer(static state => ((AgiSession)state!).ReplyTimerFired(), this, Timeout.Infinite, Timeout.Infinite);
        _reading = ReadLinesAsync();
    }

    /// <summary>Reads the environment block, then starts the session.</summary>
    public static async Task<AgiSession> StartAsync(
        IDuplexPipe transport, FastAgiLimits limits, FastAgiMetrics metrics, ILogger logger, CancellationToken cancellationToken)
    {
        var environment = await AgiEnvironmentReader.ReadAsync(transport.Input, limits, cancellationToken);
        return new AgiSession(transport, environment, limits, metrics, logger);
    }

    public AgiEnvironment Environment { get; }

    /// <summary>Cancelled the moment the caller is known to be gone.</summary>
    public CancellationToken HangUp => _hangUp.Token;

    /// <summary>Plays a file; <paramref name="escapeDigits"/> are the keys that may interrupt it.</summary>
    public async Task StreamFileAsync(string file, string escapeDigits = "")
    {
        var reply = await SendAsync("STREAM FILE", file, escapeDigits);
        await ThrowIfFailedAsync(reply, "STREAM FILE", file);
    }

    /// <summary>Plays a file and collects up to <paramref name="maxDigits"/> keys, ended by <c>#</c> or <paramref name="timeout"/>.</summary>
    public async Task<AgiDigits> GetDataAsync(string file, TimeSpan timeout, int maxDigits)
    {
        var reply = await SendAsync(
            "GET DATA", file,
            ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            maxDigits.ToString(CultureInfo.InvariantCulture));
        await ThrowIfFailedAsync(reply, "GET DATA", file);
        return new AgiDigits(reply.Result ?? "", reply.TimedOut);
    }

    /// <summary>Says a number digit by digit in the channel's language (<c>digits/&lt;d&gt;</c>).</summary>
    public async Task SayDigitsAsync(string digits, string escapeDigits = "")
    {
        var reply = await SendAsync("SAY DIGITS", digits, escapeDigits);
        await ThrowIfFailedAsync(reply, "SAY DIGITS", null);
    }

    /// <summary>
    /// Reads a channel variable or dialplan global (<c>GET VARIABLE</c>): <c>200 result=1 (value)</c>, or null for
    /// <c>200 result=0</c>, which res_agi.c's <c>handle_getvariable</c> answers when it is not set.
    /// </summary>
    public async Task<string?> GetVariableAsync(string name)
    {
        var reply = await SendAsync("GET VARIABLE", name);
        return reply.Result == "1" ? reply.Data ?? "" : null;
    }

    /// <summary>
    /// Hangs up the channel (<c>200 result=1</c>, then Asterisk's own <c>HANGUP</c> line) and closes the
    /// connection as soon as the reply is in: the call is over.
    /// </summary>
    public async Task HangUpAsync()
    {
        try
        {
            await SendAsync("HANGUP");
        }
        finally
        {
            EndCall();
        }
    }

    /// <summary>Sends one command and returns its <c>200</c> reply; one command is in flight at a time.</summary>
    public async Task<AgiReply> SendAsync(string verb, params string[] arguments)
    {
        ValueTask<AgiReply> replied;
        lock (_lock)
        {
            if (_broken is not null)
            {
                throw _broken;
            }
            if (_callOver || _hangUp.IsCancellationRequested)
            {
                throw new OperationCanceledException("the caller hung up", HangUp);
            }
            if (_awaitingReply || _writing)
            {
                throw new InvalidOperationException("a FastAGI session sends one command at a time");
            }
            _reply.Reset();
            _awaitingReply = true;
            _writing = true;
            if (_repliedAt != 0)
            {
                _metrics.Turnaround(_repliedAt);
            }
            _sentAt = Stopwatch.GetTimestamp();
            replied = new ValueTask<AgiReply>(this, _reply.Version);
        }
        try
        {
            AgiCommandWriter.Write(_transport.Output, verb, arguments);
            // No token here: a cancelled flush leaves Kestrel's send loop stopped, and the connection never closes.
            await _transport.Output.FlushAsync();
        }
        catch
        {
            TakeWaitingCommand(); // the command never went out: nothing is waited for
            throw;
        }
        finally
        {
            FinishWriting();
        }
        Log.CommandSent(_logger, Environment.UniqueId, verb);
        _replyTimer.Change(_limits.ReplyTimeout, Timeout.InfiniteTimeSpan);
        AgiReply reply;
        try
        {
            reply = await replied;
        }
        finally
        {
            _replyTimer.Change(Timeout.Infinite, Timeout.Infinite);
        }
        return reply.Status switch
        {
            AgiReply.Success => reply,
            AgiReply.DeadChannel => throw CallerGone(),
            _ => throw new AgiCommandException(verb, null, reply),
        };
    }

    // SPEC §7: `200 result=-1` is a hang-up only when Asterisk's HANGUP line follows; alone, on a live channel,
    // it is a failure such as a missing prompt file.
    private async Task ThrowIfFailedAsync(AgiReply reply, string verb, string? file)
    {
        if (!reply.IsMinusOne)
        {
            return;
        }
        await Task.Delay(_limits.FailureHangUpWindow, HangUp);
        Log.CommandFailed(_logger, Environment.UniqueId, verb, file);
        throw new AgiCommandException(verb, file, reply);
    }

    private async Task ReadLinesAsync()
    {
        var input = _transport.Input;
        try
        {
            while (true)
            {
                var read = await input.ReadAsync();
                var buffer = read.Buffer;
                try
                {
                    while (AgiLineReader.TryReadLine(ref buffer, _limits.MaxLineLength, out var line))
                    {
                        TakeLine(line);
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
                if (read.IsCompleted || read.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (AgiProtocolException e)
        {
            Break(e.Reason);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or ConnectionAbortedException)
        {
            // The connection was reset or closed under us (or by us, once the call was over): for the call, the caller is gone.
        }
        // End of stream means the caller is gone; a broken peer is a failure instead, reported to the next command.
        if (_broken is null)
        {
            CallerHungUp();
        }
    }

    private void TakeLine(in ReadOnlySequence<byte> line)
    {
        var bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        if (_usage is not null)
        {
            if (!bytes.SequenceEqual(AgiReplyParser.UsageEndLine))
            {
                _usage.Append(Encoding.UTF8.GetString(bytes)).Append('\n');
                return;
            }
            var usage = _usage.ToString();
            _usage = null;
            Complete(new AgiReply(AgiReply.UsageError, null, Text: usage));
            return;
        }
        switch (AgiReplyParser.Parse(bytes, out var reply))
        {
            case AgiLineKind.HangUp:
                Log.CallerHungUp(_logger, Environment.UniqueId);
                CallerHungUp();
                break;
            case AgiLineKind.UsageStart:
                _usage = new StringBuilder().Append(Encoding.UTF8.GetString(bytes)).Append('\n');
                break;
            case AgiLineKind.Reply:
                Complete(reply!);
                break;
        }
    }

    // Lines are taken in order, so a reply that came before the HANGUP line (our own HANGUP's `200 result=1`, or
    // keys pressed just before the caller hung up) has answered its command already: only a command still
    // waiting fails. The token is cancelled off the reader, for the same reason continuations are.
    private void CallerHungUp()
    {
        if (TakeWaitingCommand())
        {
            _reply.SetException(new OperationCanceledException("the caller hung up", HangUp));
        }
        EndCall();
    }

    private void Complete(AgiReply reply)
    {
        if (!TakeWaitingCommand())
        {
            throw new AgiProtocolException(AgiProtocolError.UnexpectedReply);
        }
        _repliedAt = Stopwatch.GetTimestamp();
        _reply.SetResult(reply);
    }

    // Whoever takes the waiting command completes it; its sender awaits that, so nobody resets the slot meanwhile.
    private bool TakeWaitingCommand()
    {
        lock (_lock)
        {
            var waiting = _awaitingReply;
            _awaitingReply = false;
            return waiting;
        }
    }

    private OperationCanceledException CallerGone()
    {
        _hangUp.Cancel();
        EndCall();
        return new OperationCanceledException("the caller hung up", HangUp);
    }

    private void ReplyTimerFired()
    {
        bool due;
        lock (_lock)
        {
            var waited = Stopwatch.GetElapsedTime(_sentAt);
            due = _awaitingReply && !_disposed && waited >= _limits.ReplyTimeout;
            if (_awaitingReply && !_disposed && !due)
            {
                // The timer's clock is coarser than the stopwatch: wait out the rest.
                _replyTimer.Change(_limits.ReplyTimeout - waited, Timeout.InfiniteTimeSpan);
            }
        }
        if (due)
        {
            Break(AgiProtocolError.ReplyTimeout);
        }
    }

    /// <summary>The one place a session dies of a protocol fault: remembered, logged once, reported to a waiting command.</summary>
    private AgiProtocolException Break(AgiProtocolError reason)
    {
        var broken = new AgiProtocolException(reason);
        if (Interlocked.CompareExchange(ref _broken, broken, null) is null)
        {
            Log.ProtocolBroken(_logger, Environment.UniqueId, reason);
            _metrics.ProtocolFault(reason);
            if (TakeWaitingCommand())
            {
                _reply.SetException(broken);
            }
            _transport.Input.CancelPendingRead();
        }
        return _broken;
    }

    /// <summary>
    /// The call is over (our HANGUP answered, or the caller gone): the caller is gone for the script too, the reader
    /// stops, and the output is completed, so the transport closes the connection, once no command is being written.
    /// </summary>
    private void EndCall()
    {
        lock (_lock)
        {
            if (_callOver)
            {
                return;
            }
            _callOver = true;
        }
        // The reader stops before the transport closes: Kestrel then completes the input with an error, and
        // reading it would cost an exception per call.
        _transport.Input.CancelPendingRead();
        _ = _hangUp.CancelAsync();
        CompleteOutputUnlessWriting();
    }

    private void CompleteOutputUnlessWriting()
    {
        lock (_lock)
        {
            if (!_callOver || _writing || _outputCompleted)
            {
                return; // a writer completes it when its write is done
            }
            _outputCompleted = true;
        }
        _transport.Output.Complete();
    }

    private void FinishWriting()
    {
        lock (_lock)
        {
            _writing = false;
        }
        CompleteOutputUnlessWriting();
    }

    AgiReply IValueTaskSource<AgiReply>.GetResult(short token) => _reply.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<AgiReply>.GetStatus(short token) => _reply.GetStatus(token);

    void IValueTaskSource<AgiReply>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _reply.OnCompleted(continuation, state, token, flags);

    public async ValueTask DisposeAsync()
    {
        _transport.Input.CancelPendingRead();
        await _reading;
        lock (_lock)
        {
            _disposed = true; // a timer callback already running must not re-arm a disposed timer
        }
        await _replyTimer.DisposeAsync();
        EndCall();
        await _transport.Input.CompleteAsync();
    }
}
