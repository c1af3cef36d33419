using Ivr.EndToEnd.Tests.Support;
using Ivr.Lab;
using Ivr.Testing;
using Microsoft.Extensions.Logging;

namespace Ivr.EndToEnd.Tests;

/// <summary>SPEC §4: a keyed password digit never reaches a log line (at Trace), the audit trail, or the lab's console.</summary>
[NonParallelizable]
public class SecretsTests
{
    // Eight digits that appear nowhere else in a call: not in a number, an id or a time of day.
    private const string Password = "97310642";

    [Test]
    public async Task No_password_digits_in_any_log_line_audit_row_or_transcript()
    {
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv);
        var logs = new CapturingLoggerProvider();
        await using var server = await RunningServer.StartAsync(database.Configuration(),
            logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));

        var calls = new[]
        {
            ("0612345678", new[] { "1", Password, Password }),                    // completed
            ("0612345678", new[] { "1", Password, "1" + Password[1..] , Password, Password }), // mismatch, then completed
            ("0612345679", new[] { "3", Password, "hangup" }),                     // hung up at the confirmation
            ("0612345678", new[] { "1", Password[..7], Password[..7] + "#", "timeout" }), // too many errors
        };
        var transcripts = new StringWriter();
        foreach (var (caller, presses) in calls)
        {
            var setup = new LabCallSetup(LabCallSetup.NewCallId(), caller);
            var call = await SimulatedAsterisk.CallAsync(server.EndPoint, setup, presses, CancellationToken.None);
            LabTranscript.Write(transcripts, setup, call, PromptCatalog.Empty);
        }
        var (_, audit, _) = await IvrProgram.RunAsync(database.Configuration(), "", "audit", "tail", "-n", "10");

        Assert.That(logs.Lines, Is.Not.Empty, "the server logged nothing: the test would prove nothing");
        Assert.That(logs.Lines.Where(line => line.Contains(" Ivr.Store.", StringComparison.Ordinal)), Has.Some.Contains("temporary password set"),
            "the store logs through the host's logger, so its lines are covered too");
        Assert.That(logs.Lines.Any(line => line.StartsWith("Trace", StringComparison.Ordinal)), "Trace lines were captured");
        Assert.That(logs.Lines.Where(line => line.Contains(Password[..7], StringComparison.Ordinal)), Is.Empty);
        Assert.That(audit, Does.Contain("completed").And.Not.Contain(Password[..7]));
        Assert.That(transcripts.ToString(), Does.Contain("••••••••").And.Not.Contain(Password[..7]));
    }
}
