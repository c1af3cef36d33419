using Ivr.Domain;
namespace Ivr.CallFlow;

/// <summary>
/// The person on the line, as the call flow sees them: something to play guidance to and collect keys
/// from. Over FastAGI this is <c>STREAM FILE</c>, <c>SAY DIGITS</c>, <c>GET DATA</c> and <c>HANGUP</c>
/// (SPEC §5); in unit tests it is a mock.
/// </summary>
/// <remarks>
/// When the caller hangs up, every method throws <see cref="OperationCanceledException"/> for the call's
/// hang-up token. Any other exception is a failure of the system (a missing prompt file, a broken peer).
/// The methods return <see cref="ValueTask"/>s so that an implementation can answer every command of a call from
/// one reusable object: a call waits on the caller for most of its life, and what it holds meanwhile should not be
/// made anew for every prompt (docs/benchmarks.md).
/// </remarks>
public interface ICaller
{
    /// <summary>Plays a prompt to the end.</summary>
    ValueTask PlayAsync(PromptId prompt, CancellationToken cancellationToken);

    /// <summary>Reads a number back digit by digit in the channel's language.</summary>
    ValueTask SayDigitsAsync(string digits, CancellationToken cancellationToken);

    /// <summary>Plays a prompt and collects up to <paramref name="maxDigits"/> keys, ended by <c>#</c> or the timeout.</summary>
    ValueTask<CallerInput> AskAsync(PromptId prompt, TimeSpan timeout, int maxDigits, CancellationToken cancellationToken);

    /// <summary>Ends the call from our side.</summary>
    ValueTask HangUpAsync(CancellationToken cancellationToken);
}
