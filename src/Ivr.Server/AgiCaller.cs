using System.Threading.Tasks.Sources;
using Ivr.CallFlow;
using Ivr.Domain;
using Ivr.FastAgi;

namespace Ivr.Server;

/// <summary>
/// The caller as the call flow sees them, over a FastAGI session (SPEC §5): prompts with <c>STREAM FILE</c>,
/// input with <c>GET DATA</c>, readback with <c>SAY DIGITS</c>, the end with <c>HANGUP</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every method honours the flow's token before it sends its command; once sent, a command runs until Asterisk
/// answers it (AGI has no way to stop a command Asterisk is carrying out), and the caller's hang-up ends the wait
/// at once. A command that failed on a live channel, or a peer that broke the protocol, is a
/// <see cref="CallFailureException"/> naming the cause, as the flow's ports promise.
/// </para>
/// <para>
/// Each answer reaches the flow through one reusable slot (this object is its own <see cref="IValueTaskSource"/>),
/// renamed on the way: the session's digits become the flow's input, its failures the flow's causes. A call waits on
/// the caller for most of its life, and nothing is made anew for each wait.
/// </para>
/// </remarks>
public sealed class AgiCaller : ICaller, IValueTaskSource, IValueTaskSource<CallerInput>
{
    private readonly AgiSession _session;
    private readonly Action _answered;
    private ManualResetValueTaskSourceCore<CallerInput> _answer;
    private ValueTask _command;
    private ValueTask<AgiDigits> _keying;
    private bool _keys;

    public AgiCaller(AgiSession session)
    {
        _session = session;
        _answered = Answered;
    }

    public ValueTask PlayAsync(PromptId prompt, CancellationToken cancellationToken) =>
        Send(static (session, prompt) => session.StreamFileAsync(prompt.Value), prompt, cancellationToken);

    public ValueTask SayDigitsAsync(string digits, CancellationToken cancellationToken) =>
        Send(static (session, digits) => session.SayDigitsAsync(digits), digits, cancellationToken);

    public ValueTask HangUpAsync(CancellationToken cancellationToken) =>
        Send(static (session, _) => session.HangUpAsync(), 0, cancellationToken);

    public ValueTask<CallerInput> AskAsync(PromptId prompt, TimeSpan timeout, int maxDigits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _answer.Reset();
        try
        {
            (_keying, _keys) = (_session.GetDataAsync(prompt.Value, timeout, maxDigits), true);
        }
        catch (Exception e)
        {
            return ValueTask.FromException<CallerInput>(Named(e));
        }
        Forward();
        return new ValueTask<CallerInput>(this, _answer.Version);
    }

    private ValueTask Send<TArgument>(Func<AgiSession, TArgument, ValueTask> command, TArgument argument, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _answer.Reset();
        try
        {
            (_command, _keys) = (command(_session, argument), false);
        }
        catch (Exception e)
        {
            return ValueTask.FromException(Named(e));
        }
        Forward();
        return new ValueTask(this, _answer.Version);
    }

    // The session's command answers into this object's slot, at once or when Asterisk's reply comes.
    private void Forward()
    {
        if (_keys ? _keying.IsCompleted : _command.IsCompleted)
        {
            Answered();
        }
        else if (_keys)
        {
            _keying.GetAwaiter().UnsafeOnCompleted(_answered);
        }
        else
        {
            _command.GetAwaiter().UnsafeOnCompleted(_answered);
        }
    }

    private void Answered()
    {
        CallerInput input;
        try
        {
            if (_keys)
            {
                var keyed = _keying.GetAwaiter().GetResult();
                input = new CallerInput(keyed.Digits, keyed.TimedOut);
            }
            else
            {
                _command.GetAwaiter().GetResult();
                input = default;
            }
        }
        catch (Exception e)
        {
            _answer.SetException(Named(e));
            return;
        }
        _answer.SetResult(input);
    }

    private static Exception Named(Exception e) => e switch
    {
        AgiCommandException command => new CallFailureException(SystemErrorCause.CommandFailed, command.Message, command),
        AgiProtocolException protocol => new CallFailureException(SystemErrorCause.ProtocolFault, protocol.Message, protocol),
        _ => e,
    };

    void IValueTaskSource.GetResult(short token) => _answer.GetResult(token);

    CallerInput IValueTaskSource<CallerInput>.GetResult(short token) => _answer.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _answer.GetStatus(token);

    ValueTaskSourceStatus IValueTaskSource<CallerInput>.GetStatus(short token) => _answer.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _answer.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource<CallerInput>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _answer.OnCompleted(continuation, state, token, flags);
}
