using Ivr.Lab;
using Ivr.Testing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ivr.EndToEnd.Tests;

/// <summary>Issue 11: the caller's channel is released as soon as the call is over; the audit row is written after.</summary>
[NonParallelizable]
public class CloseAfterHangUpTests
{
    [Test]
    public async Task The_connection_closes_before_the_audit_write_completes_and_the_row_is_still_written()
    {
        await using var database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv);
        var configuration = database.Configuration();
        var logs = new CapturingLoggerProvider();
        await using var server = await RunningServer.StartAsync(configuration, logging => logging.SetMinimumLevel(LogLevel.Information).AddProvider(logs));
        await using var dataSource = NpgsqlDataSource.Create(configuration["Database"]!);
        await using var holder = await dataSource.OpenConnectionAsync();
        await using var held = await holder.BeginTransactionAsync();
        // EXCLUSIVE conflicts with the INSERT's ROW EXCLUSIVE but not with reads: the audit write waits on it.
        await using (var lockAudit = new NpgsqlCommand("LOCK TABLE call_audit IN EXCLUSIVE MODE", holder, held))
        {
            await lockAudit.ExecuteNonQueryAsync();
        }
        var setup = new LabCallSetup(LabCallSetup.NewCallId(), LoadFlow.ThreeBadInputs.Caller);

        var call = await SimulatedAsterisk.CallAsync(server.EndPoint, setup, LoadFlow.ThreeBadInputs.Presses, CancellationToken.None);
        // The flow logs the call's end once its audit write is over (written, or given up after its timeout).
        var endedWhenClosed = logs.Lines.Any(line => line.Contains($"Call {setup.CallId} ended", StringComparison.Ordinal));
        var rowsWhenClosed = await AuditRowsAsync(dataSource, setup.CallId);
        await held.RollbackAsync();

        Assert.That(call.End, Is.EqualTo(LabCallEnd.SystemHangup));
        Assert.That(call.HangUpClose, Is.Not.Null, "the server closed after its HANGUP was answered");
        Assert.That((endedWhenClosed, rowsWhenClosed), Is.EqualTo((false, 0L)), "the caller's channel was released while the audit write still waited");
        Assert.That(() => logs.Lines.Any(line => line.Contains($"Call {setup.CallId} ended", StringComparison.Ordinal)), Is.True.After(10_000, 50));
        Assert.That(await AuditRowsAsync(dataSource, setup.CallId), Is.EqualTo(1), "the audit row is written afterwards");
        Assert.That(logs.Lines, Has.None.Contains("could not be written"));
    }

    private static async Task<long> AuditRowsAsync(NpgsqlDataSource dataSource, string callId)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM call_audit WHERE call_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = callId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
