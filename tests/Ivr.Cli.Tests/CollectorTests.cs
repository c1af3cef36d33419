using System.Diagnostics;
using System.Text.Json.Nodes;
using Ivr.Testing;

namespace Ivr.Cli.Tests;

/// <summary>
/// The garbage collector <c>ivr serve</c> runs with comes from <c>ivr.runtimeconfig.json</c> (Ivr.Cli.csproj): a real
/// <c>ivr</c> process, started the way an operator starts it, must run the server collector with one heap per core
/// and the young budget that file sets. A misspelt setting is ignored by the runtime without a word, so only the
/// running process can say whether it took.
/// </summary>
[NonParallelizable]
public class CollectorTests
{
    [Test]
    public async Task Serve_runs_the_server_collector_with_the_young_budget_of_its_runtime_configuration()
    {
        await using var database = await TestDatabase.CreateAsync();
        var configuration = database.Configuration();
        var program = Path.Combine(TestContext.CurrentContext.TestDirectory, "ivr.dll");
        var budget = JsonNode.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(program, ".runtimeconfig.json")))!
            ["runtimeOptions"]!["configProperties"]!["System.GC.Gen0MaxBudget"]!.GetValue<long>();
        // Only standard error is read (the log): standard output left unread could fill its pipe and stop the server.
        var start = new ProcessStartInfo("dotnet", [program, "serve"]) { RedirectStandardError = true };
        // The operator's DOTNET_GC… and DOTNET_gc… settings would win over the file: the test reads the file's.
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["IVR_DATABASE"] = configuration["Database"];
        start.Environment["IVR_PEPPER"] = configuration["Pepper"];
        start.Environment["IVR_LISTEN"] = "127.0.0.1:0";
        start.Environment["IVR_OPERATIONS_LISTEN"] = "off";
        start.Environment["IVR_AUDIT_SPOOL"] = database.AuditSpool;
        start.Environment["IVR_LOG_LEVEL"] = "Info";

        using var server = Process.Start(start)!;
        var log = new List<string>();
        string? collector = null;
        try
        {
            // The log goes to standard error; the line comes within a second of the start.
            using var waiting = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (collector is null && await server.StandardError.ReadLineAsync(waiting.Token) is { } line)
            {
                log.Add(line);
                collector = line.Contains("Collector: ") ? line[line.IndexOf("Collector: ", StringComparison.Ordinal)..] : null;
            }
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        Assert.That(collector, Is.EqualTo($"Collector: server, heaps: {Environment.ProcessorCount}, young generation at most {budget >> 20} MB a heap"),
            string.Join('\n', log));
    }
}
