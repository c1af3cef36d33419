using System.CommandLine;
using Ivr.Web;
using Microsoft.AspNetCore.Builder;

namespace Ivr.Cli.Commands;

/// <summary><c>ivr web</c>: the settings website on <c>IVR_WEB__LISTEN</c> (default 127.0.0.1:8080), on the same store and rules.</summary>
internal static class WebCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("web", "Run the settings website (IVR_WEB__LISTEN, default 127.0.0.1:8080).");
        command.SetAction(async (_, cancellationToken) =>
        {
            await using var app = IvrWebsite.Build(context.Configuration, context.ConfigureLogging);
            await app.RunAsync();
            return ExitCodes.Success;
        });
        return command;
    }
}
