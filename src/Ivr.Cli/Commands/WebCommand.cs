using System.CommandLine;
using Ivr.Cli.Composition;
using Ivr.Cli.Configuration;
using Ivr.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using NLog.Extensions.Logging;

namespace Ivr.Cli.Commands;

/// <summary><c>ivr web</c>: the settings website on <c>IVR_WEB__LISTEN</c> (default 127.0.0.1:8080), on the same store and rules.</summary>
internal static class WebCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("web", "Run the settings website (IVR_WEB__LISTEN, default 127.0.0.1:8080).");
        command.SetAction(async (_, cancellationToken) =>
        {
            var options = IvrSettings.Website(context.Configuration);
            if (WebsiteOptionsValidator.FindProblem(options) is { } problem)
            {
                throw new ConfigurationProblem(problem);
            }
            await using var store = StoreConnection.Open(context.Configuration);
            await using var app = IvrWebsite.Build(store.Login, store.Units, store.KeyRing, options, store.Time,
                logging => logging.SetMinimumLevel(LogLevel.Trace).AddNLog());
            try
            {
                await app.RunAsync();
            }
            catch (KeyRingKeyException e)
            {
                throw new ConfigurationProblem(e.Message);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
