using System.Text.Json;
using Ivr.Cli;
using Ivr.EndToEnd.Tests.Support;
using Ivr.Lab;
using Ivr.Lab.Scenarios;
using Ivr.Testing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ivr.EndToEnd.Tests;

/// <summary>
/// Issue 15 over real FastAGI against the real server and PostgreSQL: every shared scenario, replayed, leaves a
/// trace whose generated scenario replays the same path; and no trace holds a keyed password digit.
/// </summary>
[NonParallelizable]
public class TraceReplayTests
{
    private TestDatabase _database = null!;
    private RunningServer _server = null!;
    private CapturingLoggerProvider _serverLogs = null!;
    private StoreServices _store = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv);
        _serverLogs = new CapturingLoggerProvider();
        _server = await RunningServer.StartAsync(_database.Configuration(), logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_serverLogs));
        _store = StoreServices.Compose(_database.Configuration());
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        await _store.DisposeAsync();
        await _server.DisposeAsync();
        _serverLogs.Dispose();
        await _database.DisposeAsync();
    }

    public static IEnumerable<TestCaseData> SharedScenarios() => ScenarioReplayTests.SharedScenarios()
        .Select(data => new TestCaseData(data.Arguments).SetName($"Shared scenario {Path.GetFileNameWithoutExtension((string)data.Arguments[0]!)} replays again from its trace"));

    [TestCaseSource(nameof(SharedScenarios))]
    public async Task Shared_scenario_replays_again_from_its_trace(string path)
    {
        var original = ScenarioFile.Load(path);
        var first = await Runner().RunAsync(original, CancellationToken.None);
        Assert.That(first.Differences, Is.Empty, "the shared scenario itself replays");

        var (exitCode, yaml, error) = await IvrProgram.RunAsync(_database.Configuration(), "", "lab", "trace", first.CallId, "--scenario");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), error);
        var generatedPath = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"from-trace-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(generatedPath, yaml);
        var generated = ScenarioFile.Load(generatedPath);

        Assert.That(generated.Steps.Select(step => string.Join(", ", step.Hear)), Is.EqualTo(original.Steps.Select(step => string.Join(", ", step.Hear))), "same heard prompts\n" + yaml);
        Assert.That((generated.End, generated.Outcome), Is.EqualTo((original.End, original.Outcome)), "same end, same outcome\n" + yaml);
        var (replayed, output, _) = await IvrProgram.RunAsync(_database.Configuration(), "", "lab", "replay", generatedPath, "--server", _server.Address);
        Assert.That(output, Does.StartWith("PASS "), yaml + output);
        Assert.That(replayed, Is.EqualTo(ExitCodes.Success));
    }

    [Test]
    public async Task No_trace_holds_a_keyed_password_digit_at_any_step_including_a_mismatch()
    {
        // Each entry of the call is distinct and appears nowhere else: a short entry, a full one, a mismatched
        // confirmation, then a matching pair.
        string[] passwords = ["9797979", "97979797", "86868686", "75757575"];
        var scenario = new Scenario("every password step", "0612345678", null,
        [
            new(["temp-password/select-unit"], "1"),
            new(["digits:0612345678", "temp-password/setting-for", "temp-password/enter-password"], passwords[0]),
            new(["temp-password/invalid-retry", "temp-password/enter-password"], passwords[1]),
            new(["temp-password/confirm-password"], passwords[2]),
            new(["temp-password/invalid-retry", "temp-password/enter-password"], passwords[3]),
            new(["temp-password/confirm-password"], passwords[3]),
            new(["digits:0612345678", "temp-password/completed"], null),
        ], ScenarioEnd.SystemHangup, "completed", [new("0612345678", "line", passwords[3])], []);
        var call = await Runner().RunAsync(scenario, CancellationToken.None);
        Assert.That(call.Differences, Is.Empty);

        var (_, transcript, _) = await IvrProgram.RunAsync(_database.Configuration(), "", "lab", "trace", call.CallId); // waits for the trace
        var stored = await StoredTraceAsync(call.CallId);
        var (_, generated, _) = await IvrProgram.RunAsync(_database.Configuration(), "", "lab", "trace", call.CallId, "--scenario");
        var (_, audit, _) = await IvrProgram.RunAsync(_database.Configuration(), "", "audit", "show", call.CallId);

        using var document = JsonDocument.Parse(stored);
        var confirmations = document.RootElement.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "confirmation").Select(e => e.GetProperty("matched").GetBoolean());
        Assert.That(confirmations, Is.EqualTo(new[] { false, true }), "the trace has the mismatch, then the match");
        Assert.That(transcript, Does.Contain("☎ confirmation ••••••••, did not match"));
        Assert.That(generated, Does.Contain("press: \"1111111\"").And.Contain("press: \"22222222\""));
        foreach (var (where, text) in new[] { ("store", stored), ("transcript", transcript), ("scenario", generated), ("audit show", audit), ("server log", string.Join("\n", _serverLogs.Lines)) })
        {
            foreach (var password in passwords)
            {
                Assert.That(text, Does.Not.Contain(password), $"{where} holds a keyed password");
            }
        }
    }

    [Test]
    public async Task The_transcript_shows_each_prompt_in_japanese_and_each_input_by_its_kind()
    {
        var call = await Runner().RunAsync(ScenarioFile.Load(Path.Combine(RepositoryPaths.Scenarios, "three-bad-inputs.yaml")), CancellationToken.None);

        var (exitCode, transcript, _) = await IvrProgram.RunAsync(_database.Configuration(), "", "lab", "trace", call.CallId);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(transcript, Does.Contain("♪ temp-password/select-unit").And.Contain("仮パスワード設定をする単位を選択します"));
        Assert.That(transcript, Does.Contain("☎ menu digit 0").And.Contain("☎ menu digit: timeout").And.Contain("☎ menu digit 4"));
        Assert.That(transcript.Split('\n').Count(line => line.Contains("✗ bad input")), Is.EqualTo(3));
        Assert.That(transcript, Does.Contain("■ the server hung up").And.Contain("■ audit: too-many-errors at selecting-unit"));
    }

    [Test]
    public async Task Audit_show_says_whether_a_call_has_a_trace()
    {
        var call = await Runner().RunAsync(ScenarioFile.Load(Path.Combine(RepositoryPaths.Scenarios, "anonymous-caller.yaml")), CancellationToken.None);

        var (waited, _, _) = await IvrProgram.RunAsync(_database.Configuration(), "", "lab", "trace", call.CallId); // the trace follows the row
        var (_, traced, _) = await IvrProgram.RunAsync(_database.Configuration(), "", "audit", "show", call.CallId);
        await DeleteTraceAsync(call.CallId);
        var (_, untraced, _) = await IvrProgram.RunAsync(_database.Configuration(), "", "audit", "show", call.CallId);
        var (exitCode, _, error) = await IvrProgram.RunAsync(_database.Configuration(), "", "lab", "trace", call.CallId);

        Assert.That(waited, Is.EqualTo(ExitCodes.Success));
        Assert.That(traced, Does.Contain("\"hasTrace\":true"));
        Assert.That(untraced, Does.Contain("\"hasTrace\":false"));
        Assert.That((exitCode, error.Trim()), Is.EqualTo((ExitCodes.Failed, $"ivr: call {call.CallId} has no trace (none was recorded, or it is past IVR_TRACE_RETENTION)")));
    }

    private ScenarioRunner Runner() => new(_server.EndPoint, _store.Login, _store.Audit);

    private async Task<string> StoredTraceAsync(string callId)
    {
        await using var connection = new NpgsqlConnection(_database.Configuration()["Database"]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT trace::text FROM call_trace WHERE call_id = $1", connection) { Parameters = { new() { Value = callId } } };
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task DeleteTraceAsync(string callId)
    {
        await using var connection = new NpgsqlConnection(_database.Configuration()["Database"]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("DELETE FROM call_trace WHERE call_id = $1", connection) { Parameters = { new() { Value = callId } } };
        await command.ExecuteNonQueryAsync();
    }
}
