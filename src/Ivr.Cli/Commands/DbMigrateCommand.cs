using System.CommandLine;
using Ivr.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Ivr.Cli.Commands;

/// <summary><c>ivr db migrate</c>: creates or upgrades the schema.</summary>
internal static class DbMigrateCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("migrate", "Create or upgrade the schema.");
        command.SetAction(async (_, cancellationToken) =>
        {
            await using var services = context.CreateServices();
            var applied = await services.GetRequiredService<Migrator>().MigrateAsync(cancellationToken);
            await context.Output.WriteLineAsync(applied.Count == 0 ? "schema is up to date" : $"applied {string.Join(", ", applied)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
