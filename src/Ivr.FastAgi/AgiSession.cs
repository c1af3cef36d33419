using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
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
/// </remarks>
public sealed class AgiSession : IAsyncDisposable
{
    private readonly IDuplexPipe _transport;
    private readonly FastAgiLimits _limits;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _hangUp = new();
    private readonly Task _reading;
    private TaskCompletionSource<AgiReply>? _pending;
    private StringBuilder? _usage;
    private AgiProtocolException? _broken;

    private AgiSession(IDuplexPipe transport, AgiEnvironment environment, FastAgiLimits limits, ILogger logger)
    {
        _transport = transport;
        _limits = limits;
        _logger = logger;
        Environment = environment;
        _reading = ReadLinesAsync();
    }

    /// <summary>Reads the environment block, then starts the session.</summary>
    public static async Task<AgiSession> StartAsync(IDuplexPipe transport, FastAgiLimits limits, ILogger logger, CancellationToken cancellationToken)
    {
        var environment = await AgiEnvironmentReader.ReadAsync(transport.Input, limits, cancellationToken);
        return new AgiSession(transport, environment, limits, logger);
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

    /// <summary>Hangs up the channel (<c>200 result=1</c>, then Asterisk's own <c>HANGUP</c> line).</summary>
    public Task HangUpAsync() => SendAsync("HANGUP");

    /// <summary>Sends one command and returns its <c>200</c> reply; one command is in flight at a time.</summary>
    public async Task<AgiReply> SendAsync(string verb, params string[] arguments)
    {
        HangUp.ThrowIfCancellationRequested();
        if (_broken is not null)
        {
            throw _broken;
        }
        var pending = new TaskCompletionSource<AgiReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _pending, pending, null) is not null)
        {
            throw new InvalidOperationException("a FastAGI session sends one command at a time");
        }
        if (_broken is not null)
        {
            // Break() ran between the check above and taking the slot: it could not fail this command, so do it here.
            Interlocked.CompareExchange(ref _pending, null, pending);
            throw _broken;
        }
        try
        {
            AgiCommandWriter.Write(_transport.Output, verb, arguments);
            // No token here: a cancelled flush leaves Kestrel's send loop stopped, and the connection never closes.
            await _transport.Output.FlushAsync();
            Log.CommandSent(_logger, Environment.UniqueId, verb);
            AgiReply reply;
            try
            {
                reply = await pending.Task.WaitAsync(_limits.ReplyTimeout, HangUp);
            }
            catch (OperationCanceledException) when (pending.Task.IsCompletedSuccessfully)
            {
                // The reply and a HANGUP arrived together (our own HANGUP's `200 result=1`, or keys pressed just
                // before the caller hung up): the reply still answers this command.
                reply = pending.Task.Result;
            }
            return reply.Status switch
            {
                AgiReply.Success => reply,
                AgiReply.DeadChannel => throw CallerGone(),
                _ => throw new AgiCommandException(verb, null, reply),
            };
        }
        catch (TimeoutException)
        {
            throw Break(AgiProtocolError.ReplyTimeout);
        }
        finally
        {
            Interlocked.CompareExchange(ref _pending, null, pending);
        }
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
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection was reset or closed under us: for the call, the caller is gone.
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

    // Never cancel inline on the reader: a script continuing synchronously from the cancellation could end the call
    // and dispose the session, which waits for this very reader.
    private void CallerHungUp() => _ = _hangUp.CancelAsync();

    private void Complete(AgiReply reply)
    {
        var pending = Interlocked.Exchange(ref _pending, null) ?? throw new AgiProtocolException(AgiProtocolError.UnexpectedReply);
        pending.TrySetResult(reply);
    }

    private OperationCanceledException CallerGone()
    {
        _hangUp.Cancel();
        return new OperationCanceledException("the caller hung up", HangUp);
    }

    /// <summary>The one place a session dies of a protocol fault: remembered, logged once, reported to a waiting command.</summary>
    private AgiProtocolException Break(AgiProtocolError reason)
    {
        var broken = new AgiProtocolException(reason);
        if (Interlocked.CompareExchange(ref _broken, broken, null) is null)
        {
            Log.ProtocolBroken(_logger, Environment.UniqueId, reason);
            Interlocked.Exchange(ref _pending, null)?.TrySetException(broken);
            _transport.Input.CancelPendingRead();
        }
        return _broken;
    }

    public async ValueTask DisposeAsync()
    {
        _transport.Input.CancelPendingRead();
        await _reading;
        await _transport.Output.CompleteAsync();
        await _transport.Input.CompleteAsync();
    }
}
