namespace Ivr.Lab.Scenarios;

/// <summary>A call flow written down to be replayed against a running server (SPEC §6, "Scenario files").</summary>
/// <param name="Name">What the scenario shows, in a sentence.</param>
/// <param name="Caller">The <c>agi_callerid</c> Asterisk presents; <c>anonymous</c> for a withheld number.</param>
/// <param name="CallingPresentation">The <c>agi_callingpres</c>; when absent, 35 for <c>anonymous</c> and 0 (allowed) otherwise.</param>
/// <param name="Steps">What the caller hears between two inputs, and what they press.</param>
/// <param name="End">Who ends the call.</param>
/// <param name="Outcome">The audit outcome, in the audit's words (<c>completed</c>, <c>too-many-errors</c>, …).</param>
/// <param name="Credentials">Credentials checked afterwards through the store, as the website would.</param>
/// <param name="Unchanged">Logins whose credential must be exactly as before the call.</param>
public sealed record Scenario(
    string Name,
    string Caller,
    int? CallingPresentation,
    IReadOnlyList<ScenarioStep> Steps,
    ScenarioEnd End,
    string Outcome,
    IReadOnlyList<ExpectedCredential> Credentials,
    IReadOnlyList<string> Unchanged)
{
    /// <summary>Asterisk sends presentation 35 ("number not available") with <c>anonymous</c> (SPEC §7).</summary>
    public int EffectiveCallingPresentation => CallingPresentation ?? (Caller == "anonymous" ? 35 : 0);

    /// <summary>The presses, in order, that the simulated caller delivers to the server's inputs.</summary>
    public IEnumerable<string> Presses => Steps.Where(step => step.Press is not null).Select(step => step.Press!);
}
