using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Threading.Tasks.Sources;
using Microsoft.Extensions.Logging;

namespace Ivr.FastAgi;

/// <summary>
/// One call over FastAGI: the environment Asterisk sent, commands out, replies in. A background reader takes
/// every line as it arrives, so Asterisk's <c>HANGUP</c> cancels <see cref="HangUp"/> at once, even while no
/// command is in flight (the server may be hashing or committing).
/// </summary>
/// <remarks>
/// <para>
/// Failures come in three kinds: the caller is gone (<see cref="OperationCanceledException"/> for
/// <see cref="HangUp"/>: <c>HANGUP</c>, <c>511</c>, end of stream), a command failed on a live channel
/// (<see cref="AgiCommandException"/>), or the peer broke the protocol (<see cref="AgiProtocolException"/>).
/// The connection is closed the moment the call is over (our <c>HANGUP</c> answered, or the caller gone), not
/// when the script ends: Asterisk holds the channel's thread until the server closes, and what the script still
/// has to do (its audit row) need not keep it.
/// </para>
/// <para>
/// A command costs no allocation: its reply lands in the session's one reply slot, which the command's
/// <see cref="ValueTask"/> reads (the session is its own <see cref="IValueTaskSource"/>), and the script continues
/// on the reader, as soon as the reply is parsed, with no hop to another thread. Whatever a call holds across the
/// caller's keying is then its own few objects, not a chain of tasks made anew for every command, which the
/// garbage collector would copy while the caller thinks (docs/benchmarks.md).
/// </para>
/// <para>
/// The connection handler keeps a session, with its reader and writer, for the next connection once a call is over
/// (<see cref="StartCallAsync"/>, <see cref="EndAsync"/>): a script must not use its session once its run has ended.
/// </para>
/// </remarks>
public sealed class AgiSession : IAsyncDisposable, IValueTaskSource, IValueTaskSource<AgiDigits>, IValueTaskSource<AgiReply>
{
    private const string HangUpVerb = "HANGUP";

    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly FastAgiLimits _limits;
    private readonly ILogger _logger;
    private readonly FastAgiMetrics _metrics;
    private readonly Timer _replyTimer;
    // What belongs to one call; the rest serves call after call (see StartCallAsync).
    private CancellationTokenSource _hangUp = new();
    private Task _reading = Task.CompletedTask;

    // The one reply slot, reused by every command. Its continuation runs on the reader (inline): the reader never
    // waits for the script, and a script that ends the call there is seen by the reader's next read.
    private ManualResetValueTaskSourceCore<AgiReply> _reply;
    private readonly Lock _lock = new();
    private bool _awaitingReply;
    private string _verb = "";
    private string? _file;
    private bool _minusOneMayBeHangUp;
    private AgiReply? _minusOne;
    private long _replyDue; // when the reply timer's wait is over: a callback before it is a stale one, and waits out the rest
    private long _repliedAt;
    private bool _writing;
    private bool _callOver;
    private bool _outputCompleted;
    private bool _disposed;
    private StringBuilder? _usage;
    private AgiProtocolException? _broken;

    /// <summary>
    /// A session over <paramref name="input"/> and <paramref name="output"/>, with no call yet: <see cref="StartCallAsync"/>
    /// starts one. The connection handler keeps a session with its connection's reader and writer for call after call.
    /// </summary>
    internal AgiSession(PipeReader input, PipeWriter output, FastAgiLimits limits, FastAgiMetrics metrics, ILogger logger)
    {
        _input = input;
        _output = output;
        _limits = limits;
        _metrics = metrics;
        _logger = logger;
        _replyTimer = new Timer(static state => ((AgiSession)state!).ReplyTimerFired(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>
    /// Reads the environment block from <paramref name="input"/>, then starts the session. Completing
    /// <paramref name="output"/> closes the connection: the session does it the moment the call is over.
    /// </summary>
    public static async Task<AgiSession> StartAsync(PipeReader input, PipeWriter output, FastAgiLimits limits, FastAgiMetrics metrics, ILogger logger)
    {
        var session = new AgiSession(input, output, limits, metrics, logger);
        await session.StartCallAsync();
        return session;
    }

    /// <summary>
    /// Reads the next call's environment block, then starts the call. A session starts a call only when it is new or
    /// when <see cref="EndAsync"/> said it may serve another: nothing of the call before can still reach it then but
    /// its reply timer, whose stale callback finds the wait it was set for not over yet.
    /// </summary>
    internal async Task StartCallAsync()
    {
        var environment = await AgiEnvironmentReader.ReadAsync(_input, _limits);
        lock (_lock)
        {
            (_awaitingReply, _verb, _file, _minusOneMayBeHangUp, _minusOne) = (false, "", null, false, null);
            (_replyDue, _repliedAt) = (0, 0);
            (_writing, _callOver, _outputCompleted, _disposed, _usage, _broken) = (false, false, false, false, null, null);
        }
        Environment = environment;
        if (_hangUp.IsCancellationRequested)
        {
            _hangUp = new CancellationTokenSource();
        }
        _reading = ReadLinesAsync();
    }

    /// <summary>The variables Asterisk sent; read them while the session lasts (once it is disposed, only the unique id is left).</summary>
    public AgiEnvironment Environment { get; private set; } = null!;

    /// <summary>Cancelled the moment the caller is known to be gone.</summary>
    public CancellationToken HangUp => _hangUp.Token;

    /// <summary>Plays a file; <paramref name="escapeDigits"/> are the keys that may interrupt it.</summary>
    public ValueTask StreamFileAsync(string file, string escapeDigits = "")
    {
        var token = Begin("STREAM FILE", file, minusOneMayBeHangUp: true);
        Send(static (output, command) => AgiCommandWriter.Write(output, "STREAM FILE", command.file, command.escapeDigits), (file, escapeDigits));
        return new ValueTask(this, token);
    }

    /// <summary>Plays a file and collects up to <paramref name="maxDigits"/> keys, ended by <c>#</c> or <paramref name="timeout"/>.</summary>
    public ValueTask<AgiDigits> GetDataAsync(string file, TimeSpan timeout, int maxDigits)
    {
        var token = Begin("GET DATA", file, minusOneMayBeHangUp: true);
        Send(static (output, command) => AgiCommandWriter.Write(output, "GET DATA", command.file, command.timeout, command.maxDigits),
            (file, timeout: (long)timeout.TotalMilliseconds, maxDigits));
        return new ValueTask<AgiDigits>(this, token);
    }

    /// <summary>Says a number digit by digit in the channel's language (<c>digits/&lt;d&gt;</c>).</summary>
    public ValueTask SayDigitsAsync(string digits, string escapeDigits = "")
    {
        var token = Begin("SAY DIGITS", null, minusOneMayBeHangUp: true);
        Send(static (output, command) => AgiCommandWriter.Write(output, "SAY DIGITS", command.digits, command.escapeDigits), (digits, escapeDigits));
        return new ValueTask(this, token);
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
    public ValueTask HangUpAsync()
    {
        var token = Begin(HangUpVerb, null, minusOneMayBeHangUp: false);
        Send(static (output, _) => AgiCommandWriter.Write(output, "HANGUP"), 0);
        return new ValueTask(this, token);
    }

    /// <summary>Sends one command and returns its <c>200</c> reply, whatever its result; one command is in flight at a time.</summary>
    public ValueTask<AgiReply> SendAsync(string verb, params string[] arguments)
    {
        var token = Begin(verb, null, minusOneMayBeHangUp: false);
        Send(static (output, command) => AgiCommandWriter.Write(output, command.verb, command.arguments), (verb, arguments));
        return new ValueTask<AgiReply>(this, token);
    }

    // Arms the reply slot for one command, or fails at once when the session cannot take one.
    private short Begin(string verb, string? file, bool minusOneMayBeHangUp)
    {
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
            (_verb, _file, _minusOneMayBeHangUp, _minusOne) = (verb, file, minusOneMayBeHangUp, null);
            _awaitingReply = true;
            _writing = true;
            if (_repliedAt != 0)
            {
                _metrics.Turnaround(_repliedAt);
            }
            _replyDue = DueAfter(_limits.ReplyTimeout);
            return _reply.Version;
        }
    }

    // Writes the armed command and sends it. The state is passed by value and the writers are static, so nothing is
    // allocated; a command that cannot be written (an argument with a line break) was never sent, and fails at once.
    private void Send<TCommand>(Action<PipeWriter, TCommand> write, TCommand command)
    {
        try
        {
            write(_output, command);
        }
        catch
        {
            TakeWaitingCommand();
            FinishWriting();
            throw;
        }
        Log.CommandSent(_logger, Environment.UniqueId, _verb);
        _replyTimer.Change(_limits.ReplyTimeout, Timeout.InfiniteTimeSpan);
        ValueTask<FlushResult> flushing;
        try
        {
            // No token: the reply timer bounds the command, and a closed connection fails the flush.
            flushing = _output.FlushAsync();
        }
        catch (Exception e)
        {
            NotSent(e);
            return;
        }
        if (flushing.IsCompletedSuccessfully)
        {
            FinishWriting();
        }
        else
        {
            _ = FlushSlowlyAsync(flushing); // the peer reads slowly: the command's reply waits as it would anyway
        }
    }

    private async Task FlushSlowlyAsync(ValueTask<FlushResult> flushing)
    {
        try
        {
            await flushing;
        }
        catch (Exception e)
        {
            NotSent(e);
            return;
        }
        FinishWriting();
    }

    // The command never reached the peer: whoever waits for its reply gets why.
    private void NotSent(Exception e)
    {
        if (TakeWaitingCommand())
        {
            _reply.SetException(e);
        }
        FinishWriting();
    }

    // What a command's awaiter reads: the reply, as its kind of command takes it. Our own HANGUP ends the call
    // whatever it was answered: there is nothing more to say.
    void IValueTaskSource.GetResult(short token)
    {
        try
        {
            Check(_reply.GetResult(token));
        }
        finally
        {
            if (ReferenceEquals(_verb, HangUpVerb))
            {
                EndCall();
            }
        }
    }

    AgiDigits IValueTaskSource<AgiDigits>.GetResult(short token)
    {
        var reply = Check(_reply.GetResult(token));
        return new AgiDigits(reply.Result ?? "", reply.TimedOut);
    }

    AgiReply IValueTaskSource<AgiReply>.GetResult(short token) => _reply.GetResult(token) switch
    {
        { Status: AgiReply.Success } reply => reply,
        { Status: AgiReply.DeadChannel } => throw CallerGone(),
        var reply => throw new AgiCommandException(_verb, null, reply),
    };

    private AgiReply Check(AgiReply reply)
    {
        if (reply.Status == AgiReply.DeadChannel)
        {
            throw CallerGone();
        }
        // SPEC §7: `200 result=-1` is a hang-up only when Asterisk's HANGUP line follows (the reader waited for it);
        // alone, on a live channel, it is a failure such as a missing prompt file.
        if (reply.Status != AgiReply.Success || reply.IsMinusOne)
        {
            throw new AgiCommandException(_verb, _file, reply);
        }
        return reply;
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _reply.GetStatus(token);

    ValueTaskSourceStatus IValueTaskSource<AgiDigits>.GetStatus(short token) => _reply.GetStatus(token);

    ValueTaskSourceStatus IValueTaskSource<AgiReply>.GetStatus(short token) => _reply.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _reply.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource<AgiDigits>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _reply.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource<AgiReply>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _reply.OnCompleted(continuation, state, token, flags);

    private async Task ReadLinesAsync()
    {
        var input = _input;
        try
        {
            while (true)
            {
                var read = await input.ReadAsync();
                var buffer = read.Buffer;
                try
                {
                    while (!_callOver && AgiLineReader.TryReadLine(ref buffer, _limits.MaxLineLength, out var line))
                    {
                        TakeLine(line);
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
                if (read.IsCompleted || read.IsCanceled || _callOver)
                {
                    break;
                }
            }
        }
        catch (AgiProtocolException e)
        {
            Break(e.Reason);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
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
            case AgiLineKind.Reply when reply.IsMinusOne && AwaitsHangUpAfterMinusOne(reply):
                break;
            case AgiLineKind.Reply:
                Complete(reply);
                break;
        }
    }

    // A `200 result=-1` to a command that plays to the caller: Asterisk writes it first and its HANGUP line right
    // after when the caller hung up (SPEC §7). The command waits FailureHangUpWindow for that line before it fails.
    private bool AwaitsHangUpAfterMinusOne(AgiReply reply)
    {
        lock (_lock)
        {
            if (!_awaitingReply || !_minusOneMayBeHangUp || _minusOne is not null)
            {
                return false;
            }
            _minusOne = reply;
            _replyDue = DueAfter(_limits.FailureHangUpWindow);
        }
        _replyTimer.Change(_limits.FailureHangUpWindow, Timeout.InfiniteTimeSpan);
        return true;
    }

    // Lines are taken in order, so a reply that came before the HANGUP line (our own HANGUP's `200 result=1`, or
    // keys pressed just before the caller hung up) has answered its command already: only a command still
    // waiting fails.
    private void CallerHungUp()
    {
        EndCall();
        if (TakeWaitingCommand())
        {
            _reply.SetException(new OperationCanceledException("the caller hung up", HangUp));
        }
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
        EndCall();
        return new OperationCanceledException("the caller hung up", HangUp);
    }

    private static long DueAfter(TimeSpan wait) => Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);

    private void ReplyTimerFired()
    {
        AgiReply? failed = null;
        var due = false;
        lock (_lock)
        {
            if (!_awaitingReply || _disposed)
            {
                return;
            }
            var early = _replyDue - Stopwatch.GetTimestamp();
            if (early > 0)
            {
                // The timer's clock is coarser than the stopwatch, or this callback was due for an earlier command (or
                // call): wait out the rest.
                _replyTimer.Change(TimeSpan.FromSeconds((double)early / Stopwatch.Frequency), Timeout.InfiniteTimeSpan);
                return;
            }
            if (_minusOne is { } minusOne)
            {
                // No HANGUP line followed the -1: the command failed on a live channel.
                failed = minusOne;
                _awaitingReply = false;
            }
            else
            {
                due = true;
            }
        }
        if (failed is { } reply)
        {
            Log.CommandFailed(_logger, Environment.UniqueId, _verb, _file);
            _repliedAt = Stopwatch.GetTimestamp();
            _reply.SetResult(reply);
        }
        else if (due)
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
            _input.CancelPendingRead();
        }
        return _broken;
    }

    /// <summary>
    /// The call is over (our HANGUP answered, or the caller gone): the caller is gone for the script too, and the
    /// output is completed, once no command is being written, which closes the connection (the reader then sees its end).
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
        // Off the reader: whatever the caller's hang-up stops (a database command's cancellation) does not run here.
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
        _output.Complete();
    }

    private void FinishWriting()
    {
        lock (_lock)
        {
            _writing = false;
        }
        CompleteOutputUnlessWriting();
    }

    public async ValueTask DisposeAsync()
    {
        await EndAsync();
        await _replyTimer.DisposeAsync(); // and waits for a callback already running
    }

    /// <summary>
    /// Ends the call as <see cref="DisposeAsync"/> does, but keeps the reply timer; true when the session may start
    /// another call over its reader and writer, once they are given the next connection: nothing of this call can
    /// reach them any more (its reader has stopped, and no command is being written).
    /// </summary>
    internal async ValueTask<bool> EndAsync()
    {
        _input.CancelPendingRead();
        await _reading;
        bool mayServeAnother;
        lock (_lock)
        {
            _disposed = true; // a timer callback already running must not re-arm the timer
            mayServeAnother = !_writing; // a slow flush still finishing would touch the next call's writer
        }
        _replyTimer.Change(Timeout.Infinite, Timeout.Infinite);
        EndCall();
        await _input.CompleteAsync();
        Environment.Release();
        return mayServeAnother;
    }

    /// <summary>The session will serve no more calls: its reply timer goes.</summary>
    internal void Retire()
    {
        lock (_lock)
        {
            _disposed = true;
        }
        _replyTimer.Dispose();
    }
}
