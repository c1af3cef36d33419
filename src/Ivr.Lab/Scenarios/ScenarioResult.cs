namespace Ivr.Lab.Scenarios;

/// <summary>How a replayed scenario went: passed when <see cref="Differences"/> is empty.</summary>
public sealed record ScenarioResult(Scenario Scenario, LabCallRecord Call, IReadOnlyList<string> Differences)
{
    public bool Passed => Differences.Count == 0;
}
