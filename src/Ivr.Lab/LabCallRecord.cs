namespace Ivr.Lab;

/// <summary>Everything a simulated caller experienced.</summary>
/// <param name="Heard">
/// What was heard between inputs: entry <c>i</c> is everything up to and including the prompt of the <c>i</c>-th
/// input; the last entry is what came after the last input. Items are prompt ids and <c>digits:N</c>.
/// </param>
/// <param name="Presses">The presses delivered, in order.</param>
/// <param name="End">How the call ended.</param>
/// <param name="Problems">What the server did that Asterisk would not accept (commands after a hang-up, unknown commands).</param>
/// <param name="Turnarounds">For every reply, the time until the server's next command: the server's share of the caller's wait.</param>
/// <param name="FirstCommand">From the environment fully written to the first command (accept, parse, caller lookup); null when none came.</param>
/// <param name="HangUpClose">From the reply to the server's <c>HANGUP</c> to the server closing the connection; null when it did not hang up.</param>
/// <param name="ThinkLag">How late each keying timer fired: this client's own lateness, which bounds its error on every other figure.</param>
public sealed record LabCallRecord(
    IReadOnlyList<IReadOnlyList<string>> Heard,
    IReadOnlyList<string> Presses,
    LabCallEnd End,
    IReadOnlyList<string> Problems,
    IReadOnlyList<Turnaround> Turnarounds,
    TimeSpan? FirstCommand = null,
    TimeSpan? HangUpClose = null,
    IReadOnlyList<TimeSpan>? ThinkLag = null);
