using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Ivr.Domain;
using Ivr.Hosting;
using Ivr.Lab;
using Ivr.Lab.Scenarios;
using Ivr.Store;
using Ivr.Testing;
using Microsoft.Extensions.Logging;

namespace Ivr.Server.Tests;

/// <summary>What the operators see of a running server (issue 12): its metrics, its logs, its readiness.</summary>
[NonParallelizable]
public sealed partial class OperationsTests
{
    [Test]
    public async Task The_metrics_endpoint_counts_replayed_calls_by_outcome_and_a_refused_commit_by_its_reason()
    {
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv);
        var operations = FreePort.Next();
        var configuration = database.Configuration(new Dictionary<string, string?> { ["OperationsListen"] = $"127.0.0.1:{operations}" });
        await using var server = await RunningServer.StartAsync(configuration);
        await using var store = StoreServices.Compose(configuration);
        var scenarios = ScenarioFile.LoadAll([RepositoryPaths.Scenarios]);
        var runner = new ScenarioRunner(server.EndPoint, store.Login, store.Audit);
        foreach (var (path, scenario) in scenarios)
        {
            Assert.That((await runner.RunAsync(scenario, CancellationToken.None)).Passed, path);
        }
        await RefusedCommitAsync(server, store);

        // The server closes a call before it writes the row and counts the call (issue 11): wait for the last one.
        var metrics = await ScrapeAsync(operations);
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); Sum(metrics, "ivr_calls_active") != 0 && waited.Elapsed < TimeSpan.FromSeconds(10);)
        {
            await Task.Delay(50);
            metrics = await ScrapeAsync(operations);
        }

        foreach (var outcome in DomainWords.AllOf<CallOutcome>())
        {
            var expected = scenarios.Count(s => s.Scenario.Outcome == outcome) + (outcome == "not-contracted" ? 1 : 0);
            Assert.That(Sum(metrics, "ivr_calls_total", $"ivr_call_outcome=\"{outcome}\""), Is.EqualTo(expected), outcome);
        }
        Assert.That(Sum(metrics, "ivr_commits_total", "ivr_commit_result=\"refused\"", "ivr_refusal_reason=\"caller-not-in-contract\""), Is.EqualTo(1));
        Assert.That(Sum(metrics, "ivr_calls_total", "ivr_call_reason=\"caller-not-in-contract\""), Is.EqualTo(1));
        var commits = scenarios.Count(s => s.Scenario.Outcome == "completed") + 1;
        Assert.That(Sum(metrics, "ivr_commit_duration_seconds_count"), Is.EqualTo(commits), "one wait after the last key per commit");
        Assert.That(Sum(metrics, "ivr_calls_active"), Is.Zero, "every call has ended");
        // Each commit is one database step, timed whether it commits or is refused; each call that had a number
        // was checked in the directory first.
        Assert.That(Sum(metrics, "ivr_db_step_duration_seconds_count", "ivr_db_step=\"commit\""), Is.EqualTo(commits));
        var checkedCallers = scenarios.Count(s => s.Scenario.Outcome != "caller-id-required") + 1;
        Assert.That(Sum(metrics, "ivr_db_step_duration_seconds_count", "ivr_db_step=\"caller-check\""), Is.EqualTo(checkedCallers));
        // Each thing a caller hears is one command, and the server's HANGUP another; every command but a call's
        // first answers a reply, so each is one turnaround. The refused commit's call sent seven commands.
        var turnarounds = scenarios.Sum(s => s.Scenario.Steps.Sum(step => step.Hear.Count) + (s.Scenario.End == ScenarioEnd.SystemHangup ? 1 : 0) - 1) + 6;
        Assert.That(Sum(metrics, "ivr_agi_turnaround_seconds_count"), Is.EqualTo(turnarounds));
        Assert.That(Sum(metrics, "ivr_agi_turnaround_seconds_bucket", "le=\"+Inf\""), Is.EqualTo(turnarounds));
        Assert.That(Sum(metrics, "ivr_agi_turnaround_seconds_sum"), Is.GreaterThan(0).And.LessThan(turnarounds * 1.0),
            "the server's share of each wait: well under a second each (the playback the lab simulates is Asterisk's, not the server's)");
    }

    [Test]
    public async Task A_refused_commit_reaches_the_hosts_log_with_its_reason_and_the_audit_row_keeps_it()
    {
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv);
        var logs = new CapturingLoggerProvider();
        var configuration = database.Configuration();
        await using var server = await RunningServer.StartAsync(configuration, logging => logging.SetMinimumLevel(LogLevel.Information).AddProvider(logs));
        await using var store = StoreServices.Compose(configuration);

        var callId = await RefusedCommitAsync(server, store);
        // The server closes the call first, then writes its row, then logs its last line (issue 11).
        for (var waited = System.Diagnostics.Stopwatch.StartNew();
             !logs.Lines.Any(line => line.Contains($"Call {callId} ended", StringComparison.Ordinal)) && waited.Elapsed < TimeSpan.FromSeconds(10);)
        {
            await Task.Delay(20);
        }

        Assert.That(logs.Lines.Where(line => line.Contains("Ivr.Store.CredentialStore", StringComparison.Ordinal)),
            Has.Some.Contains($"Call {callId}: commit refused for 0612345678 (line) by 0612345679: caller-not-in-contract"));
        Assert.That(logs.Lines, Has.Some.Contains($"Call {callId} ended: not-contracted at committing, unit line, reason caller-not-in-contract"));
        var row = await store.Audit.FindAsync(callId, CancellationToken.None);
        Assert.That((row!.Outcome, row.Reason), Is.EqualTo((CallOutcome.NotContracted, "caller-not-in-contract")));
    }

    [Test]
    public async Task Readiness_is_false_while_the_database_is_down_and_true_again_when_it_returns_without_a_restart()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv, cluster.ConnectionString);
        var operations = FreePort.Next();
        await using var server = await RunningServer.StartAsync(database.Configuration(new Dictionary<string, string?> { ["OperationsListen"] = $"127.0.0.1:{operations}" }));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{operations}"), Timeout = TimeSpan.FromSeconds(20) };

        var before = await http.GetAsync(IvrHosting.ReadyPath);
        await cluster.StopAsync();
        var down = await http.GetAsync(IvrHosting.ReadyPath);
        var alive = await http.GetAsync(IvrHosting.LivePath);
        await cluster.RestartAsync();
        var after = await http.GetAsync(IvrHosting.ReadyPath);

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(down.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(alive.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the process itself is alive: nothing to restart");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task The_operations_endpoints_answer_only_on_their_own_listener()
    {
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv);
        var operations = FreePort.Next();
        await using var server = await RunningServer.StartAsync(database.Configuration(new Dictionary<string, string?> { ["OperationsListen"] = $"127.0.0.1:{operations}" }));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{operations}") };

        Assert.That((await http.GetAsync("/")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "nothing but the operations paths");
        Assert.That((await http.GetAsync(IvrHosting.MetricsPath)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task With_the_operations_listener_off_no_web_server_listens()
    {
        // Kestrel listens on localhost:5000 when it is given no address: with the operations endpoints off, ivr serve
        // must not start it at all.
        Assert.That(await AcceptsAsync(5000), Is.False, "the port was free before the server started");
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv);
        await using var server = await RunningServer.StartAsync(database.Configuration(new Dictionary<string, string?> { ["OperationsListen"] = "off" }));

        Assert.That(await AcceptsAsync(5000), Is.False);
        Assert.That(await AcceptsAsync(server.EndPoint.Port), Is.True, "the FastAGI port itself listens");
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // A caller keys the line unit from the additional number; before the confirmation is answered, the directory moves
    // that line to another contract, so the commit's re-check refuses it (SPEC §3).
    private static async Task<string> RefusedCommitAsync(RunningServer server, StoreServices store)
    {
        var setup = new LabCallSetup(LabCallSetup.NewCallId(), "0612345679", PlaybackTime: TimeSpan.FromSeconds(1));
        var call = SimulatedAsterisk.CallAsync(server.EndPoint, setup, ["1", "13572468", "13572468"], CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the caller check is long done; the commit is seconds away
        await store.Directory.ImportAsync(
            [new DirectoryRow("C002", "0698765432", NumberKind.Main, true, true), new DirectoryRow("C002", "0612345679", NumberKind.Additional, true, true)],
            CancellationToken.None);
        var record = await call;
        Assert.That(record.Heard[^1], Does.Contain(PromptId.NotContracted.Value), "the commit was refused");
        return setup.CallId;
    }

    private static async Task<string> ScrapeAsync(int port)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync($"http://127.0.0.1:{port}{IvrHosting.MetricsPath}");
    }

    // The sum over every series of a metric whose labels include all of the given ones, from Prometheus's text format.
    private static double Sum(string metrics, string name, params string[] labels) =>
        metrics.Split('\n')
            .Select(line => Sample().Match(line))
            .Where(sample => sample.Success && sample.Groups["name"].Value == name && labels.All(label => sample.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            .Sum(sample => double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[0-9.eE+-]+)")]
    private static partial Regex Sample();
}
