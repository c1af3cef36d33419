namespace Ivr.Lab.Scenarios;

/// <summary>How a replayed scenario went: passed when <see cref="Differences"/> is empty.</summary>
/// <param name="CallId">The <c>agi_uniqueid</c> the call was made with: its audit row and trace (<c>ivr lab trace CALL-ID</c>).</param>
public sealed record ScenarioResult(Scenario Scenario, string CallId, LabCallRecord Call, IReadOnlyList<string> Differences)
{
    public bool Passed => Differences.Count == 0;
}
