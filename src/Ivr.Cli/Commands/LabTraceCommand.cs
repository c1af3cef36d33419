using System.CommandLine;
using Ivr.Lab;
using Ivr.Lab.Scenarios;
using Ivr.Lab.Traces;
using Ivr.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Ivr.Cli.Commands;

/// <summary>
/// <c>ivr lab trace CALL-ID [--scenario]</c>: a call's trace as a readable transcript, or as a scenario file that
/// replays the same path (issue 15). Reads the store only; never a keyed password digit.
/// </summary>
internal static class LabTraceCommand
{
    public static Command Create(CliContext context)
    {
        var callId = new Argument<string>("call-id") { Description = "Asterisk's agi_uniqueid of the call." };
        var scenario = new Option<bool>("--scenario") { Description = "Print a scenario file (SPEC §6) for ivr lab replay instead of the transcript." };
        var command = new Command("trace", "A call's trace: what the caller heard and keyed, or a scenario that replays it.") { callId, scenario };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var id = parseResult.GetValue(callId)!;
            await using var services = context.CreateServices();
            var audit = services.GetRequiredService<AuditLog>();
            if (await audit.FindAsync(id, cancellationToken) is not { } row)
            {
                await context.Error.WriteLineAsync($"ivr: no audit row for call {id}");
                return ExitCodes.Failed;
            }
            if (await audit.FindTraceAsync(row, cancellationToken) is not { } trace)
            {
                await context.Error.WriteLineAsync($"ivr: call {id} has no trace (none was recorded, or it is past IVR_TRACE_RETENTION)");
                return ExitCodes.Failed;
            }
            if (parseResult.GetValue(scenario))
            {
                var (replay, notes) = TraceScenario.From(row, trace);
                await context.Output.WriteAsync(ScenarioYaml.Format(replay, notes));
            }
            else
            {
                TraceTranscript.Write(context.Output, row, trace, PromptCatalog.LoadShipped());
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
