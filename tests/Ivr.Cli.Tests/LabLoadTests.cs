using System.Globalization;
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

    // Issue 11: paced as callers are, every agiload flow, with the server's process sampled (it runs in this one).
    [TestCase("not-contracted")]
    [TestCase("three-bad-inputs")]
    [TestCase("menu-walk")]
    public async Task A_small_paced_run_with_keying_time_reports_what_agiload_reports(string flow)
    {
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv);
        await using var server = await RunningServer.StartAsync(database.Configuration());

        var (exitCode, output, error) = await IvrProgram.RunAsync(database.Configuration(), "",
            "lab", "load", "--flow", flow, "--calls", "30", "--concurrency", "30", "--rate", "100", "--think-ms", "20",
            "--think-jitter", "0.5", "--server-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            "--time-limit", "60", "--server", server.Address);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), output + error);
        Assert.That(output, Does.StartWith($"load: 30 of 30 calls, concurrency 30, flow {flow}, caller ").And.Contain(", rate 100/s, think 20 ms ±50 %"));
        Assert.That(output, Does.Contain("errors: none"));
        Assert.That(output, Does.Contain("first command: p50 ").And.Contain("(n=30)"), "one first command per call");
        Assert.That(output, Does.Contain("close after HANGUP: p50 "), "every flow ends with the server's HANGUP");
        Assert.That(output.Contains("think timer lag", StringComparison.Ordinal), Is.EqualTo(flow != "not-contracted"), "keying only before a GET DATA reply");
        Assert.That(output, Does.Contain("arrival lag: ").And.Contain(" ms per call").And.Contain(" KB per open call").And.Contain("server threads: idle "));
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
