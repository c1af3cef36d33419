using System.CommandLine;
using Ivr.CallFlow;
using Ivr.Domain;
using Ivr.Lab;
using Ivr.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Ivr.Cli.Commands;

/// <summary><c>ivr lab call --caller N --press K …</c>: one call against a running server, with its transcript.</summary>
internal static class LabCallCommand
{
    public static Command Create(CliContext context)
    {
        var caller = new Option<string>("--caller") { Description = "The caller id Asterisk presents; 'anonymous' for a withheld number.", Required = true };
        var press = new Option<string[]>("--press") { Description = "What the caller presses at each input: digits with # or *, 'timeout' or 'hangup'.", AllowMultipleArgumentsPerToken = false };
        var presentation = new Option<int?>("--calling-pres") { Description = "The agi_callingpres (default 35 for anonymous, else 0)." };
        var server = ServerOption.Create();
        var command = new Command("call", "One call against a running server, printing the transcript.") { caller, press, presentation, server };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var callerId = parseResult.GetValue(caller)!;
            var presses = parseResult.GetValue(press) ?? [];
            var bad = presses.FirstOrDefault(p => p is not ("timeout" or "hangup") && (p.Length == 0 || !p.All(c => char.IsAsciiDigit(c) || c is '#' or '*')));
            if (bad is not null)
            {
                throw new UsageProblem($"--press '{bad}' must be digits (with # or *), 'timeout' or 'hangup'");
            }
            await using var services = context.CreateServices();
            var (endPoint, key) = ServerOption.Resolve(parseResult.GetValue(server), services);
            var setup = new LabCallSetup(LabCallSetup.NewCallId(), callerId,
                parseResult.GetValue(presentation) ?? (callerId == "anonymous" ? 35 : 0), Key: key);
            var call = await SimulatedAsterisk.CallAsync(endPoint, setup, presses, cancellationToken);
            LabTranscript.Write(context.Output, setup, call, PromptCatalog.LoadShipped());
            if (context.Configuration["Database"] is not null)
            {
                if (await services.GetRequiredService<AuditLog>().FindAsync(setup.CallId, cancellationToken) is { } row)
                {
                    await context.Output.WriteLineAsync($"  audit: {row.Outcome.ToName()} at {row.StepReached}");
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
