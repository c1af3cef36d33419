using Ivr.CallFlow;
using Ivr.FastAgi;

namespace Ivr.Cli.Serving;

/// <summary>
/// The caller as the call flow sees them, over a FastAGI session (SPEC §5): prompts with <c>STREAM FILE</c>,
/// input with <c>GET DATA</c>, readback with <c>SAY DIGITS</c>, the end with <c>HANGUP</c>.
/// </summary>
/// <remarks>
/// Once the server's shutdown grace period is over (<paramref name="callsMustEnd"/>), any further step fails,
/// so the flow ends the call with <c>system-error</c>; that prompt and the hang-up are still let through.
/// </remarks>
public sealed class AgiCaller(AgiSession session, CancellationToken callsMustEnd) : ICaller
{
    public Task PlayAsync(PromptId prompt, CancellationToken cancellationToken)
    {
        if (prompt != PromptId.SystemError)
        {
            ThrowIfServerStopping();
        }
        return session.StreamFileAsync(prompt.Value);
    }

    public Task SayDigitsAsync(string digits, CancellationToken cancellationToken)
    {
        ThrowIfServerStopping();
        return session.SayDigitsAsync(digits);
    }

    public async Task<CallerInput> AskAsync(PromptId prompt, TimeSpan timeout, int maxDigits, CancellationToken cancellationToken)
    {
        ThrowIfServerStopping();
        var keyed = await session.GetDataAsync(prompt.Value, timeout, maxDigits);
        return new CallerInput(keyed.Digits, keyed.TimedOut);
    }

    public Task HangUpAsync(CancellationToken cancellationToken) => session.HangUpAsync();

    private void ThrowIfServerStopping()
    {
        if (callsMustEnd.IsCancellationRequested)
        {
            throw new ServerStoppingException();
        }
    }
}
