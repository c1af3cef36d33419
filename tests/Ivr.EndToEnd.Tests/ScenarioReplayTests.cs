using Ivr.Cli;
using Ivr.EndToEnd.Tests.Support;
using Ivr.Testing;

namespace Ivr.EndToEnd.Tests;

/// <summary>
/// Every scenario in <c>../shared/scenarios/</c>, replayed by <c>ivr lab replay</c> over TCP FastAGI against the
/// real server, on a real PostgreSQL loaded with the scenarios' directory.
/// </summary>
[NonParallelizable]
public class ScenarioReplayTests
{
    private TestDatabase _database = null!;
    private RunningServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv);
        _server = await RunningServer.StartAsync(_database.Configuration());
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        await _server.DisposeAsync();
        await _database.DisposeAsync();
    }

    public static IEnumerable<TestCaseData> SharedScenarios() =>
        Directory.EnumerateFiles(RepositoryPaths.Scenarios, "*.yaml").Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(path).SetName($"Shared scenario {Path.GetFileNameWithoutExtension(path)} replays"));

    [TestCaseSource(nameof(SharedScenarios))]
    public async Task Shared_scenario_replays(string path)
    {
        var (exitCode, output, error) = await IvrProgram.RunAsync(_database.Configuration(), "", "lab", "replay", path, "--server", _server.Address);

        Assert.That(output, Does.StartWith("PASS "), output + error);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
    }

    [Test]
    public void There_are_shared_scenarios_to_replay()
    {
        Assert.That(SharedScenarios().Count(), Is.GreaterThanOrEqualTo(14));
    }

    [Test]
    public async Task A_scenario_that_does_not_hold_fails_with_a_readable_diff()
    {
        var wrong = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"wrong-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(wrong, """
            name: expects the wrong prompt
            caller: "0612345678"
            steps:
              - hear: [temp-password/enter-number]
                press: hangup
            end: caller-hangup
            outcome: completed
            """);

        var (exitCode, output, _) = await IvrProgram.RunAsync(_database.Configuration(), "", "lab", "replay", wrong, "--server", _server.Address);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Failed));
        Assert.That(output, Does.Contain("FAIL "));
        Assert.That(output, Does.Contain("expected [temp-password/enter-number]").And.Contain("actual   [temp-password/select-unit]"));
        Assert.That(output, Does.Contain("outcome: expected completed, actual caller-hung-up"));
        Assert.That(output, Does.Match(@"  call: (lab-[0-9a-f]+) \(ivr lab trace \1\)"), "a failed replay names its call, whose trace tells what happened");
        Assert.That(output, Does.EndWith("replay: 0 passed, 1 failed" + Environment.NewLine));
    }
}
