using Ivr.Domain;
using Ivr.FastAgi;
using Ivr.Lab;
using Ivr.Server.Tests.Support;
using Ivr.Testing;
using Microsoft.Extensions.Logging;

namespace Ivr.Server.Tests;

/// <summary>
/// Issue 14, done means 2 and 4: database faults the caller does not pay for, on a PostgreSQL cluster of the test's
/// own, restarted and frozen under the real server.
/// </summary>
[NonParallelizable]
public class DatabaseFaultTests
{
    private static readonly string[] Setup = ["1", "13572468", "13572468"];
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);
    // What the machine may add to a deadline: scheduling on a 2-core host running the whole suite's test hosts at once
    // (1.8 s and 1.98 s were seen there, once each in about ten runs; 1.0–1.1 s alone), the prompt command's own round
    // trip. Without the deadline the wait is the driver's 15–30 s, so the bound still tells the two apart.
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(1500);

    [Test]
    public async Task The_first_call_after_postgresql_restarted_while_the_server_was_idle_completes()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv, cluster.ConnectionString);
        var logs = new CapturingLoggerProvider();
        await using var server = await RunningServer.StartAsync(database.Configuration(), logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Warning));
        // A call leaves its connections idle in the pool, as a server between calls has them: its audit row written
        // too, or that write (10 ms after the call) can meet the restart first and take the dead connection.
        var before = LabCallSetup.NewCallId();
        Assert.That((await CallAsync(server, before)).Heard[^1], Does.Contain("temp-password/completed"));
        await using (var store = StoreServices.Compose(database.Configuration()))
        {
            Assert.That(await WaitForRowAsync(store, before), Is.Not.Null, "the first call's audit row is written before the restart");
        }

        await cluster.StopAsync();
        await cluster.RestartAsync();
        var keys = new Queue<string>(Setup);
        var first = await ScriptedAsterisk.CallAsync(server.EndPoint, LabCallSetup.NewCallId(), "0612345678",
            command => Task.FromResult(command.Verb == "GET DATA" ? ScriptedAsterisk.Keys(keys.Dequeue()) : null), TimeSpan.FromSeconds(30));

        Assert.That(first.Heard[^2..], Is.EqualTo(new[] { "temp-password/completed", "HANGUP" }), "the dead pooled connection was not the caller's problem");
        var retried = logs.Lines.Where(l => l.Contains("the pooled connection was dead")).ToList();
        TestContext.Out.WriteLine($"caller check with the retry: {first.Silences[0].Wait}; {string.Join("\n", retried.Select(l => l.Split(" Step=")[0]))}");
        Assert.That(retried, Has.Some.Contains("caller-check: the pooled connection was dead (57P01)"),
            "it completed because the caller check met the restart's 57P01 and ran again on a new connection");
    }

    [Test]
    public async Task With_the_database_frozen_no_caller_waits_longer_than_the_deadline_plus_one_prompt()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv, cluster.ConnectionString);
        var configuration = database.Configuration(new Dictionary<string, string?> { ["DatabaseDeadline"] = Deadline.ToString() });
        await using var server = await RunningServer.StartAsync(configuration);
        ScriptedCall atCommit, atCallerCheck;
        try
        {
            // Frozen between the confirmation and the commit.
            var keys = new Queue<string>(Setup);
            atCommit = await ScriptedAsterisk.CallAsync(server.EndPoint, LabCallSetup.NewCallId(), "0612345678", async command =>
            {
                if (command.Verb != "GET DATA")
                {
                    return null;
                }
                if (command.Arguments[0] == "temp-password/confirm-password")
                {
                    await cluster.FreezeAsync();
                }
                return ScriptedAsterisk.Keys(keys.Dequeue());
            }, TimeSpan.FromSeconds(30));
            // Frozen before the call began: the caller check is the first step to wait.
            atCallerCheck = await ScriptedAsterisk.CallAsync(server.EndPoint, LabCallSetup.NewCallId(), "0612345679",
                _ => Task.FromResult<string?>(null), TimeSpan.FromSeconds(30));
        }
        finally
        {
            await cluster.ThawAsync();
        }
        var afterwards = await CallAsync(server);

        foreach (var call in new[] { atCommit, atCallerCheck })
        {
            TestContext.Out.WriteLine($"{call}; longest silence {call.Silences.Max(s => s.Wait)}, closed {call.ClosedAt - call.HungUpAt} after HANGUP");
            Assert.That(call.Heard[^2..], Is.EqualTo(new[] { "temp-password/system-error", "HANGUP" }), call.ToString());
            Assert.That(call.End, Is.EqualTo(LabCallEnd.SystemHangup));
            Assert.That(call.Silences.Max(s => s.Wait), Is.LessThan(Deadline + Slack), "dead air is bounded by the deadline");
            Assert.That(call.ClosedAt - call.HungUpAt, Is.LessThan(Deadline + Slack), "the connection closes soon after HANGUP");
        }
        Assert.That(afterwards.Heard[^1], Does.Contain("temp-password/completed"), "the server recovered by itself when the database did");
        await using var store = StoreServices.Compose(configuration);
        foreach (var (call, step) in new[] { (atCommit, "committing"), (atCallerCheck, "checking-caller") })
        {
            var row = await WaitForRowAsync(store, call.CallId);
            Assert.That((row?.Outcome.ToName(), row?.StepReached, row?.Reason), Is.EqualTo(("system-error", step, "database-timeout")), "its audit row says what it heard, once the database is back");
        }
    }

    private static async Task<Store.AuditRow?> WaitForRowAsync(StoreServices store, string callId)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(20); await Task.Delay(250))
        {
            if (await store.Audit.FindAsync(callId, CancellationToken.None) is { } row)
            {
                return row;
            }
        }
        return null;
    }

    private static Task<LabCallRecord> CallAsync(RunningServer server, string? callId = null) =>
        SimulatedAsterisk.CallAsync(server.EndPoint, new LabCallSetup(callId ?? LabCallSetup.NewCallId(), "0612345678"), Setup, CancellationToken.None);
}
