using System.CommandLine;
using Ivr.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Ivr.Cli.Commands;

/// <summary><c>ivr audit tail [-n N]</c>: the newest audit rows, oldest first, as JSON lines.</summary>
internal static class AuditTailCommand
{
    public static Command Create(CliContext context)
    {
        var count = new Option<int>("--count", "-n") { Description = "How many rows (1 to 10000).", DefaultValueFactory = _ => 10 };
        count.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 10_000)
            {
                result.AddError("-n must be between 1 and 10000");
            }
        });
        var command = new Command("tail", "The newest audit rows as JSON lines.") { count };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = context.CreateServices();
            foreach (var row in await services.GetRequiredService<AuditLog>().TailAsync(parseResult.GetValue(count), cancellationToken))
            {
                await context.Output.WriteLineAsync(Json.Line(row));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
