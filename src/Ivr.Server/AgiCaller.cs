using Ivr.CallFlow;
using Ivr.Domain;
using Ivr.FastAgi;

namespace Ivr.Server;

/// <summary>
/// The caller as the call flow sees them, over a FastAGI session (SPEC §5): prompts with <c>STREAM FILE</c>,
/// input with <c>GET DATA</c>, readback with <c>SAY DIGITS</c>, the end with <c>HANGUP</c>.
/// </summary>
/// <remarks>
/// Every method honours the flow's token before it sends its command; once sent, a command runs until Asterisk
/// answers it (AGI has no way to stop a command Asterisk is carrying out), and the caller's hang-up ends the wait
/// at once. A command that failed on a live channel, or a peer that broke the protocol, is a
/// <see cref="CallFailureException"/> naming the cause, as the flow's ports promise.
/// </remarks>
public sealed class AgiCaller(AgiSession session) : ICaller
{
    public Task PlayAsync(PromptId prompt, CancellationToken cancellationToken) =>
        SendAsync(() => session.StreamFileAsync(prompt.Value), cancellationToken);

    public Task SayDigitsAsync(string digits, CancellationToken cancellationToken) =>
        SendAsync(() => session.SayDigitsAsync(digits), cancellationToken);

    public async Task<CallerInput> AskAsync(PromptId prompt, TimeSpan timeout, int maxDigits, CancellationToken cancellationToken)
    {
        var keyed = await SendAsync(() => session.GetDataAsync(prompt.Value, timeout, maxDigits), cancellationToken);
        return new CallerInput(keyed.Digits, keyed.TimedOut);
    }

    public Task HangUpAsync(CancellationToken cancellationToken) => SendAsync(session.HangUpAsync, cancellationToken);

    private static async Task SendAsync(Func<Task> command, CancellationToken cancellationToken) =>
        await SendAsync(async () => { await command(); return true; }, cancellationToken);

    private static async Task<T> SendAsync<T>(Func<Task<T>> command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await command();
        }
        catch (AgiCommandException e)
        {
            throw new CallFailureException(SystemErrorCause.CommandFailed, e.Message, e);
        }
        catch (AgiProtocolException e)
        {
            throw new CallFailureException(SystemErrorCause.ProtocolFault, e.Message, e);
        }
    }
}
