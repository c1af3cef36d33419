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
public sealed record LabCallRecord(
    IReadOnlyList<IReadOnlyList<string>> Heard,
    IReadOnlyList<string> Presses,
    LabCallEnd End,
    IReadOnlyList<string> Problems,
    IReadOnlyList<Turnaround> Turnarounds);
