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
/// </remarks>
public interface ICaller
{
    /// <summary>Plays a prompt to the end.</summary>
    Task PlayAsync(PromptId prompt, CancellationToken cancellationToken);

    /// <summary>Reads a number back digit by digit in the channel's language.</summary>
    Task SayDigitsAsync(string digits, CancellationToken cancellationToken);

    /// <summary>Plays a prompt and collects up to <paramref name="maxDigits"/> keys, ended by <c>#</c> or the timeout.</summary>
    Task<CallerInput> AskAsync(PromptId prompt, TimeSpan timeout, int maxDigits, CancellationToken cancellationToken);

    /// <summary>Ends the call from our side.</summary>
    Task HangUpAsync(CancellationToken cancellationToken);
}
