using System.Diagnostics;
using Ivr.Domain;
using Ivr.FastAgi;
using Ivr.Lab;
using Ivr.Server;
using Ivr.Server.Tests.Support;
using Ivr.Testing;
using Microsoft.Extensions.Logging;

namespace Ivr.Server.Tests;

/// <summary>
/// Issue 14, done means 1: the host's stop (what SIGTERM does) with calls at every step, over real FastAGI and a real
/// PostgreSQL. A commit that started is finished and announced; after the grace period no commit starts and every
/// other call hears system-error; every call ends with a prompt and HANGUP, and its audit row says what it heard.
/// </summary>
[NonParallelizable]
public class ShutdownTests
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan JustBefore = GracePeriod - TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan JustAfter = GracePeriod + TimeSpan.FromMilliseconds(400);

    // Logins (shared/scenarios/directory.csv): each gets at most one call that completes during the shutdown, so
    // "the last caller who heard completed" is well defined.
    private const string LineLogin = "0612345678";        // line unit, from its main number
    private const string NumberLogin = "0698765433";      // number unit, keyed by the main number 0698765432
    private const string RegisterLogin = "05011112223";   // admin/user unit, from the additional number itself
    private const string QuietLogin = "0698765432";       // line unit from 0698765433: set before the stop only

    [Test]
    public async Task Every_call_at_every_step_ends_with_a_prompt_and_hangup_and_only_announced_commits_are_stored()
    {
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv);
        var configuration = database.Configuration(new Dictionary<string, string?> { ["ShutdownGracePeriod"] = GracePeriod.ToString() });
        var logs = new CapturingLoggerProvider();
        await using var server = await RunningServer.StartAsync(configuration, logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        const string SelectUnit = "temp-password/select-unit", EnterNumber = "temp-password/enter-number";
        const string EnterPassword = "temp-password/enter-password", Register = "temp-password/enter-password-register";
        const string Confirm = "temp-password/confirm-password", Completed = "temp-password/completed", SystemError = "temp-password/system-error";
        var stopped = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reached = new List<Task>();
        var expectations = new List<(Task<ScriptedCall> Call, string Ending, string Outcome)>();

        // Holds an answer until `offset` after the stop began.
        async Task AfterStop(TimeSpan offset)
        {
            var stopAt = await stopped.Task;
            var wait = offset - Stopwatch.GetElapsedTime(stopAt);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
        }

        // One call: the keys for each input in turn, the points whose answer is held until a time after the stop
        // (a prompt id, or "readback-completed" for the SAY DIGITS after the commit), and what the caller must hear.
        void Call(string caller, string[] keys, (string At, TimeSpan Until)[] holds, string ending, string outcome, string? hangUpAt = null)
        {
            var atFirstHold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var inputs = 0;
            var confirmed = false;
            async Task<string?> Answer(AgiCommandLine command)
            {
                var point = command.Verb == "GET DATA" ? command.Arguments[0] : command.Verb == "SAY DIGITS" && confirmed ? "readback-completed" : null;
                foreach (var (at, until) in holds.Where(h => h.At == point))
                {
                    atFirstHold.TrySetResult();
                    await AfterStop(until);
                }
                if (command.Verb != "GET DATA")
                {
                    return null;
                }
                confirmed |= point == Confirm;
                return point == hangUpAt ? ScriptedAsterisk.CallerHangsUp : ScriptedAsterisk.Keys(keys[inputs++]);
            }
            reached.Add(atFirstHold.Task);
            var call = ScriptedAsterisk.CallAsync(server.EndPoint, LabCallSetup.NewCallId(), caller, Answer, TimeSpan.FromSeconds(40));
            expectations.Add((call, ending, outcome));
        }

        // Before the stop: two calls that complete at once, so two logins hold a password when the stop begins.
        var quickLine = ScriptedAsterisk.CallAsync(server.EndPoint, LabCallSetup.NewCallId(), LineLogin, Keyed("1", "30000001", "30000001"), TimeSpan.FromSeconds(20));
        var quickQuiet = ScriptedAsterisk.CallAsync(server.EndPoint, LabCallSetup.NewCallId(), "0698765433", Keyed("1", "30000002", "30000002"), TimeSpan.FromSeconds(20));
        Assert.That((await quickLine).LastPrompt, Is.EqualTo(Completed));
        Assert.That((await quickQuiet).LastPrompt, Is.EqualTo(Completed));

        // An input in flight when the grace period ends is answered, then followed by system-error, at every step.
        foreach (var caller in new[] { "0612345679", "0698765433", "05011112222" })
        {
            Call(caller, ["1"], [(SelectUnit, JustAfter)], SystemError, "system-error");
        }
        Call("0698765432", ["2", "0698765433"], [(EnterNumber, JustAfter)], SystemError, "system-error");
        Call("05011112222", ["2", "05011112223"], [(EnterNumber, JustAfter)], SystemError, "system-error");
        Call("0612345678", ["3", "0612345679"], [(EnterNumber, JustAfter)], SystemError, "system-error");
        Call("0612345679", ["1", "40000001"], [(EnterPassword, JustAfter)], SystemError, "system-error");
        Call("0698765433", ["1", "40000002"], [(EnterPassword, JustAfter)], SystemError, "system-error");
        Call(RegisterLogin, ["3", "40000003"], [(Register, JustAfter)], SystemError, "system-error");
        // A confirmation keyed just after the end of the grace period: no commit starts, whatever the login.
        Call(LineLogin, ["1", "50000001", "50000001"], [(Confirm, JustAfter)], SystemError, "system-error");
        Call("0698765432", ["2", NumberLogin, "50000002", "50000002"], [(Confirm, JustAfter)], SystemError, "system-error");
        Call(RegisterLogin, ["3", "50000003", "50000003"], [(Confirm, JustAfter)], SystemError, "system-error");
        Call("0698765433", ["1", "50000004", "50000004"], [(Confirm, JustAfter)], SystemError, "system-error");
        // A confirmation keyed just before: committed, and announced although the announcement outlasts the grace period.
        Call(LineLogin, ["1", "60000001", "60000001"], [(Confirm, JustBefore)], Completed, "completed");
        Call(RegisterLogin, ["3", "60000003", "60000003"], [(Confirm, JustBefore)], Completed, "completed");
        // Committed during the grace period, its readback held 2 s past its end: Kestrel still lets the ending play.
        Call("0698765432", ["2", NumberLogin, "60000002", "60000002"], [(Confirm, JustBefore), ("readback-completed", GracePeriod + TimeSpan.FromSeconds(2))], Completed, "completed");
        // Callers who hang up during the grace period, and calls that fit in it.
        Call("0612345679", ["1", "70000001"], [(EnterPassword, TimeSpan.FromMilliseconds(300))], "caller", "caller-hung-up", hangUpAt: Confirm);
        Call("0698765432", ["1"], [(SelectUnit, TimeSpan.FromMilliseconds(200))], "caller", "caller-hung-up", hangUpAt: EnterPassword);
        Call("05011112222", ["1", "80000001", "80000001"], [(SelectUnit, TimeSpan.FromMilliseconds(100))], Completed, "completed");
        Call("0612345679", ["3", "80000002", "80000002"], [(Register, TimeSpan.FromMilliseconds(100))], Completed, "completed");

        await Task.WhenAll(reached).WaitAsync(TimeSpan.FromSeconds(20));
        var stopClock = Stopwatch.StartNew();
        var stopping = server.StopAsync();
        stopped.SetResult(Stopwatch.GetTimestamp());
        var calls = await Task.WhenAll(expectations.Select(e => e.Call));
        await stopping;
        var stopTook = stopClock.Elapsed;

        Assert.That(calls, Has.Length.EqualTo(20));
        await using var store = StoreServices.Compose(configuration);
        foreach (var ((_, ending, outcome), call) in expectations.Zip(calls))
        {
            Assert.That(call.Problems, Is.Empty, call.ToString());
            if (ending == "caller")
            {
                Assert.That(call.End, Is.EqualTo(LabCallEnd.CallerHangup), call.ToString());
            }
            else
            {
                Assert.That(call.End, Is.EqualTo(LabCallEnd.SystemHangup), $"never closed without a word: {call}");
                Assert.That(call.Heard[^2..], Is.EqualTo(new[] { ending, "HANGUP" }), call.ToString());
            }
            var row = await store.Audit.FindAsync(call.CallId, CancellationToken.None);
            var reason = outcome == "system-error" ? "server-stopping" : null;
            Assert.That((row?.Outcome.ToName(), row?.Reason), Is.EqualTo((outcome, reason)), $"the audit says what the caller heard: {call}");
        }
        await AssertSetByAsync(store, LineLogin, calls, "60000001");
        await AssertSetByAsync(store, RegisterLogin, calls, "60000003");
        await AssertSetByAsync(store, NumberLogin, calls, "60000002");
        var quiet = await store.Login.ShowAsync(QuietLogin, CancellationToken.None);
        Assert.That(quiet!.TemporaryPasswordSetByCall, Is.EqualTo((await quickQuiet).CallId), "a confirmation after the grace period replaced nothing");
        Assert.That(stopTook, Is.LessThan(GracePeriod + FastAgiHost.EndingTime), "the stop waited for the endings, not for its timeout");
        Assert.That(logs.Lines, Has.None.Contains("failed at Completed"), "the log says what happened");
        Assert.That(logs.Lines.Count(l => l.Contains("ended: system-error") && l.Contains("server-stopping")), Is.EqualTo(13));
    }

    // Which call set the login is the credential's own record; the password check then goes through the website's rules.
    private static async Task AssertSetByAsync(StoreServices store, string login, ScriptedCall[] calls, string password)
    {
        var state = await store.Login.ShowAsync(login, CancellationToken.None);
        var completed = calls.Where(c => c.LastPrompt == "temp-password/completed" && c.Heard.Contains("digits:" + login)).ToList();
        Assert.That(completed, Has.Count.EqualTo(1), login);
        Assert.That(state!.TemporaryPasswordSetByCall, Is.EqualTo(completed[0].CallId), $"{login} holds the password its last caller heard completed for");
        Assert.That(await store.Login.VerifyAsync(login, password, clientAddress: null, CancellationToken.None), Is.EqualTo(LoginResult.TemporaryOk));
    }

    private static Func<AgiCommandLine, Task<string?>> Keyed(params string[] keys)
    {
        var next = 0;
        return command => Task.FromResult(command.Verb == "GET DATA" ? ScriptedAsterisk.Keys(keys[next++]) : null);
    }
}
