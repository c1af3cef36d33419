using System.CommandLine;
using Ivr.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Ivr.Cli.Commands;

/// <summary><c>ivr audit show CALL-ID</c>: the call's audit row as a JSON line.</summary>
internal static class AuditShowCommand
{
    public static Command Create(CliContext context)
    {
        var callId = new Argument<string>("call-id") { Description = "Asterisk's agi_uniqueid of the call." };
        var command = new Command("show", "A call's audit row as JSON.") { callId };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var id = parseResult.GetValue(callId)!;
            await using var services = context.CreateServices();
            if (await services.GetRequiredService<AuditLog>().FindAsync(id, cancellationToken) is not { } row)
            {
                await context.Error.WriteLineAsync($"ivr: no audit row for call {id}");
                return ExitCodes.Failed;
            }
            await context.Output.WriteLineAsync(Json.Line(row));
            return ExitCodes.Success;
        });
        return command;
    }
}
