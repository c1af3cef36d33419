using System.CommandLine;
using Ivr.Lab.Scenarios;
using Ivr.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Ivr.Cli.Commands;

/// <summary><c>ivr lab replay PATH…</c>: replays scenario files (or folders of them); a readable diff and exit 1 on any failure.</summary>
internal static class LabReplayCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("path") { Description = "Scenario files, or folders of *.yaml files.", Arity = ArgumentArity.OneOrMore };
        var server = ServerOption.Create();
        var command = new Command("replay", "Replay scenario files against a running server.") { paths, server };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var scenarios = ScenarioFile.LoadAll(parseResult.GetValue(paths)!);
            await using var services = context.CreateServices();
            var (endPoint, key) = ServerOption.Resolve(parseResult.GetValue(server), services);
            var runner = new ScenarioRunner(endPoint, services.GetRequiredService<WebsiteLogin>(), services.GetRequiredService<AuditLog>(), key);
            var failed = 0;
            foreach (var (path, scenario) in scenarios)
            {
                var result = await runner.RunAsync(scenario, cancellationToken);
                await context.Output.WriteLineAsync($"{(result.Passed ? "PASS" : "FAIL")} {Path.GetFileName(path)}: {scenario.Name}");
                foreach (var difference in result.Differences)
                {
                    await context.Output.WriteLineAsync("  " + difference.Replace("\n", "\n  "));
                }
                if (!result.Passed)
                {
                    await context.Output.WriteLineAsync($"  call: {result.CallId} (ivr lab trace {result.CallId})");
                }
                failed += result.Passed ? 0 : 1;
            }
            await context.Output.WriteLineAsync($"replay: {scenarios.Count - failed} passed, {failed} failed");
            return failed == 0 ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }
}
