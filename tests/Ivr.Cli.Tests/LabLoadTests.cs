using Ivr.Testing;

namespace Ivr.Cli.Tests;

/// <summary><c>ivr lab load</c> keeps working: a few dozen calls of each flow against the real server (issue 6). Not timed.</summary>
[NonParallelizable]
public class LabLoadTests
{
    [TestCase("no-write")]
    [TestCase("setup")]
    public async Task A_small_load_run_completes_every_call_without_errors(string flow)
    {
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv);
        await using var server = await RunningServer.StartAsync(database.Configuration());

        var (exitCode, output, error) = await IvrProgram.RunAsync(database.Configuration(), "",
            "lab", "load", "--flow", flow, "--calls", "40", "--concurrency", "8", "--time-limit", "60", "--server", server.Address);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), output + error);
        Assert.That(output, Does.StartWith($"load: 40 of 40 calls, concurrency 8, flow {flow}"));
        Assert.That(output, Does.Contain("errors: none").And.Contain("turnaround (server's share per command): p50 "));
        Assert.That(output.Contains("commit turnaround", StringComparison.Ordinal), Is.EqualTo(flow == "setup"));
    }

    [Test]
    public async Task The_load_benchmark_refuses_a_server_that_is_not_on_loopback()
    {
        await using var database = await TestDatabase.CreateAsync();

        var (exitCode, _, error) = await IvrProgram.RunAsync(database.Configuration(), "", "lab", "load", "--server", "192.0.2.1:4573");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error.Trim(), Is.EqualTo("ivr: --server 192.0.2.1:4573: the load benchmark only targets a loopback address"));
    }
}
