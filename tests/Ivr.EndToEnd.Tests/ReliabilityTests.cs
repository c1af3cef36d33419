using Ivr.EndToEnd.Tests.Support;
using Ivr.Lab;
using Ivr.Testing;

namespace Ivr.EndToEnd.Tests;

/// <summary>Issue 5: faults and shutdown end calls cleanly, nothing is half-written, and the server recovers by itself.</summary>
[NonParallelizable]
public class ReliabilityTests
{
    private static readonly string[] Setup = ["1", "13572468", "13572468"];

    [Test]
    public async Task With_the_database_down_callers_hear_system_error_and_calls_work_again_when_it_is_back()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv, cluster.ConnectionString);
        var configuration = database.Configuration();
        await using var server = await RunningServer.StartAsync(configuration);

        await cluster.StopAsync();
        var duringOutage = await CallAsync(server, Setup);
        await cluster.RestartAsync();
        // The first call after the restart: a pooled connection that died with the server is not the caller's problem.
        var afterwards = await CallAsync(server, Setup);

        Assert.That(duringOutage.Heard.SelectMany(h => h), Does.Contain("temp-password/system-error"));
        Assert.That(duringOutage.End, Is.EqualTo(LabCallEnd.SystemHangup));
        Assert.That(afterwards.Heard[^1], Does.Contain("temp-password/completed"), "the server recovered without a restart");
        var (_, shown, _) = await IvrProgram.RunAsync(configuration, "", "credentials", "show", "0612345678");
        Assert.That(shown, Does.Contain("\"version\":1"), "one commit, from the call after the outage");
    }

    [Test]
    public async Task On_shutdown_calls_in_progress_get_the_grace_period_then_hear_system_error()
    {
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv);
        var configuration = database.Configuration(new Dictionary<string, string?> { ["ShutdownGracePeriod"] = "00:00:01" });
        var server = await RunningServer.StartAsync(configuration);
        // Each prompt lasts 0.4 s on the line: the call is still in progress when the grace period ends.
        var setup = new LabCallSetup(LabCallSetup.NewCallId(), "0612345678", PlaybackTime: TimeSpan.FromMilliseconds(400));

        var call = SimulatedAsterisk.CallAsync(server.EndPoint, setup, Setup, CancellationToken.None);
        await Task.Delay(300);
        var stopping = server.StopAsync();
        var record = await call;
        await stopping;
        await server.DisposeAsync();

        Assert.That(record.Heard.SelectMany(h => h), Does.Contain("temp-password/select-unit"), "the call went on during the grace period");
        Assert.That(record.Heard[^1], Does.Contain("temp-password/system-error"));
        Assert.That(record.End, Is.EqualTo(LabCallEnd.SystemHangup));
        var (_, audit, _) = await IvrProgram.RunAsync(configuration, "", "audit", "show", setup.CallId);
        Assert.That(audit, Does.Contain("\"outcome\":\"system-error\"").And.Contain("\"reason\":\"server-stopping\""));
    }

    [Test]
    public async Task With_an_agi_key_configured_a_call_without_it_hears_system_error_and_writes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv);
        var configuration = database.Configuration(new Dictionary<string, string?> { ["AgiKey"] = "a-long-shared-secret" });
        await using var server = await RunningServer.StartAsync(configuration);

        var keyless = await SimulatedAsterisk.CallAsync(server.EndPoint, new LabCallSetup(LabCallSetup.NewCallId(), "0612345678"), Setup, CancellationToken.None);
        var wrong = await SimulatedAsterisk.CallAsync(server.EndPoint, new LabCallSetup(LabCallSetup.NewCallId(), "0612345678", Key: "a-long-shared-secreT"), Setup, CancellationToken.None);
        var (_, before, _) = await IvrProgram.RunAsync(configuration, "", "audit", "tail");
        var keyed = await SimulatedAsterisk.CallAsync(server.EndPoint, new LabCallSetup(LabCallSetup.NewCallId(), "0612345678", Key: "a-long-shared-secret"), Setup, CancellationToken.None);

        Assert.That(keyless.Heard, Is.EqualTo(new[] { new[] { "temp-password/system-error" } }));
        Assert.That(wrong.Heard, Is.EqualTo(new[] { new[] { "temp-password/system-error" } }));
        Assert.That(before, Is.Empty, "a refused call writes nothing, not even an audit row");
        Assert.That(keyed.Heard[^1], Does.Contain("temp-password/completed"));
    }

    private static Task<LabCallRecord> CallAsync(RunningServer server, string[] presses) =>
        SimulatedAsterisk.CallAsync(server.EndPoint, new LabCallSetup(LabCallSetup.NewCallId(), "0612345678"), presses, CancellationToken.None);
}
