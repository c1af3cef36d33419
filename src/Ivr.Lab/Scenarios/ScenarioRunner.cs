using System.Net;
using Ivr.Domain;
using Ivr.Store;

namespace Ivr.Lab.Scenarios;

/// <summary>
/// Replays scenarios against a running server over FastAGI, then checks what the caller heard, how the call
/// ended, its audit row, and the credentials, through the store exactly as the website reads them.
/// </summary>
public sealed class ScenarioRunner(IPEndPoint server, WebsiteLogin login, AuditLog audit, string? key = null)
{
    // The server writes the audit row before it closes the call; this only absorbs scheduling jitter.
    private static readonly TimeSpan AuditWait = TimeSpan.FromSeconds(5);

    public async Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        var before = new Dictionary<string, CredentialState?>();
        foreach (var number in scenario.Unchanged)
        {
            before[number] = await login.ShowAsync(number, cancellationToken);
        }

        var setup = new LabCallSetup(LabCallSetup.NewCallId(), scenario.Caller, scenario.EffectiveCallingPresentation, Key: key);
        var call = await SimulatedAsterisk.CallAsync(server, setup, scenario.Presses.ToList(), cancellationToken);

        var differences = new List<string>();
        CompareHeard(scenario, call, differences);
        differences.AddRange(call.Problems);
        var expectedEnd = scenario.End == ScenarioEnd.SystemHangup ? LabCallEnd.SystemHangup : LabCallEnd.CallerHangup;
        if (call.End != expectedEnd)
        {
            differences.Add($"end: expected {EndName(expectedEnd)}, actual {EndName(call.End)}");
        }
        await CompareOutcomeAsync(scenario, setup.CallId, differences, cancellationToken);
        foreach (var (number, state) in before)
        {
            var after = await login.ShowAsync(number, cancellationToken);
            if (after != state)
            {
                differences.Add($"unchanged: the credential of {number} changed (version {state?.Version.ToString() ?? "none"} → {after?.Version.ToString() ?? "none"})");
            }
        }
        foreach (var expected in scenario.Credentials)
        {
            await CompareCredentialAsync(expected, differences, cancellationToken);
        }
        return new ScenarioResult(scenario, setup.CallId, call, differences);
    }

    private static void CompareHeard(Scenario scenario, LabCallRecord call, List<string> differences)
    {
        var steps = Math.Max(scenario.Steps.Count, call.Heard.Count);
        for (var i = 0; i < steps; i++)
        {
            var expected = i < scenario.Steps.Count ? scenario.Steps[i].Hear : [];
            var actual = i < call.Heard.Count ? call.Heard[i] : [];
            if (!expected.SequenceEqual(actual))
            {
                differences.Add($"step {i + 1} heard:\n    expected [{string.Join(", ", expected)}]\n    actual   [{string.Join(", ", actual)}]");
            }
        }
    }

    private async Task CompareOutcomeAsync(Scenario scenario, string callId, List<string> differences, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + AuditWait;
        AuditRow? row;
        while ((row = await audit.FindAsync(callId, cancellationToken)) is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, cancellationToken);
        }
        if (row is null)
        {
            differences.Add($"audit: no row for {callId}");
        }
        else if (row.Outcome.ToName() != scenario.Outcome)
        {
            differences.Add($"outcome: expected {scenario.Outcome}, actual {row.Outcome.ToName()} (step reached: {row.StepReached})");
        }
    }

    private async Task CompareCredentialAsync(ExpectedCredential expected, List<string> differences, CancellationToken cancellationToken)
    {
        var state = await login.ShowAsync(expected.Login, cancellationToken);
        if (state is null)
        {
            differences.Add($"credential {expected.Login}: none was written");
            return;
        }
        if (state.Unit.ToName() != expected.Unit)
        {
            differences.Add($"credential {expected.Login}: unit expected {expected.Unit}, actual {state.Unit.ToName()}");
        }
        var result = await login.VerifyAsync(expected.Login, expected.TemporaryPassword, clientAddress: null, cancellationToken);
        if (result != LoginResult.TemporaryOk)
        {
            differences.Add($"credential {expected.Login}: the expected temporary password logs in as {result.ToName()}, not temporary-ok");
        }
    }

    public static string EndName(LabCallEnd end) => end switch
    {
        LabCallEnd.SystemHangup => "system-hangup",
        LabCallEnd.CallerHangup => "caller-hangup",
        LabCallEnd.ServerClosed => "server closed the connection without HANGUP",
        _ => "server stopped answering",
    };
}
