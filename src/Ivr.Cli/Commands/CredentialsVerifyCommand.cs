using System.CommandLine;
using Ivr.Domain;
using Ivr.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Ivr.Cli.Commands;

/// <summary>
/// <c>ivr credentials verify LOGIN</c>: reads a password from standard input (never an argument: arguments show
/// in process lists and shell history) and checks it exactly as the website does, counting the attempt.
/// </summary>
internal static class CredentialsVerifyCommand
{
    public static Command Create(CliContext context)
    {
        var login = LoginArgument.Create();
        var command = new Command("verify", "Check a password read from standard input as the website would; prints JSON with result.") { login };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var id = parseResult.GetValue(login)!;
            var password = (await context.Input.ReadLineAsync(cancellationToken))?.Trim();
            if (string.IsNullOrEmpty(password))
            {
                throw new UsageProblem("no password on standard input");
            }
            await using var services = context.CreateServices();
            var result = await services.GetRequiredService<WebsiteLogin>().VerifyAsync(id, password, clientAddress: null, cancellationToken);
            await context.Output.WriteLineAsync(Json.Line(new { login = id, result = result.ToName() }));
            return result is LoginResult.Ok or LoginResult.TemporaryOk ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }
}
