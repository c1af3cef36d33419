using System.CommandLine;
using Ivr.Lab;

namespace Ivr.Cli.Commands;

/// <summary><c>ivr lab load --calls N --concurrency C</c>: the load benchmark over FastAGI (issue 6); loopback servers only.</summary>
internal static class LabLoadCommand
{
    public static Command Create(CliContext context)
    {
        var calls = Bounded(new Option<int>("--calls") { Description = "How many calls in all (1 to 100000).", DefaultValueFactory = _ => 1000 }, 1, 100_000);
        var concurrency = Bounded(new Option<int>("--concurrency") { Description = "How many at once (1 to 20000).", DefaultValueFactory = _ => 100 }, 1, 20_000);
        var flow = new Option<string>("--flow")
        {
            Description = "not-contracted, three-bad-inputs (no-write is the same), menu-walk or setup (hash and commit): agiload's flows.",
            DefaultValueFactory = _ => "no-write",
        };
        flow.AcceptOnlyFromAmong([.. LoadFlow.All.Select(f => f.Name), "no-write"]);
        var caller = new Option<string?>("--caller") { Description = "The caller id (default: the flow's own, on the scenario directory)." };
        var timeLimit = new Option<int>("--time-limit") { Description = "Seconds before the run stops, finished or not (default 300).", DefaultValueFactory = _ => 300 };
        var playback = new Option<int>("--playback-ms") { Description = "Milliseconds each prompt and input lasts on the line before its reply (default 0).", DefaultValueFactory = _ => 0 };
        var rate = new Option<double>("--rate") { Description = "New calls per second, Poisson arrivals (default 0: as fast as the concurrency allows)." };
        rate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is < 0 or > 100_000)
            {
                result.AddError("--rate must be between 0 and 100000");
            }
        });
        var think = Bounded(new Option<int>("--think-ms") { Description = "The caller's mean keying time before each GET DATA reply, never inside a turnaround (default 0)." }, 0, 600_000);
        var jitter = new Option<double>("--think-jitter") { Description = "Keying time is uniform in think·(1 ± this) (default 0.5).", DefaultValueFactory = _ => 0.5 };
        jitter.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is < 0 or > 1)
            {
                result.AddError("--think-jitter must be between 0 and 1");
            }
        });
        var serverPid = new Option<int?>("--server-pid") { Description = "The server's process id, to sample its CPU, memory and threads from /proc." };
        var server = ServerOption.Create();
        var command = new Command("load", "Load benchmark over FastAGI as callers behave: first command, turnaround and close-after-HANGUP percentiles, server CPU and memory.")
        {
            calls, concurrency, flow, caller, timeLimit, playback, rate, think, jitter, serverPid, server,
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
                LoadFlow.Named(parseResult.GetValue(flow)!)!,
                parseResult.GetValue(caller), TimeSpan.FromSeconds(parseResult.GetValue(timeLimit)),
                TimeSpan.FromMilliseconds(parseResult.GetValue(playback)), parseResult.GetValue(serverPid),
                key,
                parseResult.GetValue(rate), TimeSpan.FromMilliseconds(parseResult.GetValue(think)), parseResult.GetValue(jitter));
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
