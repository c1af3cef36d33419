using System.CommandLine;
using Ivr.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Ivr.Cli.Commands;

/// <summary><c>ivr credentials show LOGIN</c>: the credential's state as JSON, never a secret.</summary>
internal static class CredentialsShowCommand
{
    public static Command Create(CliContext context)
    {
        var login = LoginArgument.Create();
        var command = new Command("show", "A credential's state as JSON (no secrets).") { login };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var id = parseResult.GetValue(login)!;
            await using var services = context.CreateServices();
            var state = await services.GetRequiredService<WebsiteLogin>().ShowAsync(id, cancellationToken);
            if (state is null)
            {
                await context.Error.WriteLineAsync($"ivr: no credential for {id}");
                return ExitCodes.Failed;
            }
            await context.Output.WriteLineAsync(Json.Line(state));
            return ExitCodes.Success;
        });
        return command;
    }
}
