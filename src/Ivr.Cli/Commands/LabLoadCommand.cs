using System.CommandLine;
using Ivr.Lab;

namespace Ivr.Cli.Commands;

/// <summary><c>ivr lab load --calls N --concurrency C</c>: the load benchmark over FastAGI (issue 6); loopback servers only.</summary>
internal static class LabLoadCommand
{
    public static Command Create(CliContext context)
    {
        var calls = Bounded(new Option<int>("--calls") { Description = "How many calls in all (1 to 100000).", DefaultValueFactory = _ => 1000 }, 1, 100_000);
        var concurrency = Bounded(new Option<int>("--concurrency") { Description = "How many at once (1 to 10000).", DefaultValueFactory = _ => 100 }, 1, 10_000);
        var flow = new Option<string>("--flow") { Description = "no-write (three bad inputs) or setup (hash and commit).", DefaultValueFactory = _ => "no-write" };
        flow.AcceptOnlyFromAmong("no-write", "setup");
        var caller = new Option<string>("--caller") { Description = "A subscribed number of the server's directory.", DefaultValueFactory = _ => "0612345678" };
        var timeLimit = new Option<int>("--time-limit") { Description = "Seconds before the run stops, finished or not (default 300).", DefaultValueFactory = _ => 300 };
        var playback = new Option<int>("--playback-ms") { Description = "Milliseconds each prompt and input lasts on the line (default 0: replies at once, a saturation test).", DefaultValueFactory = _ => 0 };
        var serverPid = new Option<int?>("--server-pid") { Description = "The server's process id, to report its peak memory." };
        var server = ServerOption.Create();
        var command = new Command("load", "Load benchmark over FastAGI: throughput and per-command turnaround percentiles.")
        {
            calls, concurrency, flow, caller, timeLimit, playback, serverPid, server,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = context.CreateServices();
            var (endPoint, key) = ServerOption.Resolve(parseResult.GetValue(server), services);
            if (!System.Net.IPAddress.IsLoopback(endPoint.Address))
            {
                throw new UsageProblem($"--server {endPoint}: the load benchmark only targets a loopback address");
            }
            var options = new LoadOptions(
                parseResult.GetValue(calls), parseResult.GetValue(concurrency),
                parseResult.GetValue(flow) == "setup" ? LoadFlow.Setup : LoadFlow.NoWrite,
                parseResult.GetValue(caller)!, TimeSpan.FromSeconds(parseResult.GetValue(timeLimit)),
                TimeSpan.FromMilliseconds(parseResult.GetValue(playback)), parseResult.GetValue(serverPid),
                key);
            var report = await LoadBenchmark.RunAsync(endPoint, options, cancellationToken);
            report.Write(context.Output);
            return report.Errors.Count == 0 && report.CallsCompleted == options.Calls ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    private static Option<int> Bounded(Option<int> option, int minimum, int maximum)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is var value && (value < minimum || value > maximum))
            {
                result.AddError($"{option.Name} must be between {minimum} and {maximum}");
            }
        });
        return option;
    }
}
