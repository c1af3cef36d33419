using System.CommandLine;
using Ivr.Hosting;
using Ivr.Store;
using Ivr.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ivr.Cli.Commands;

/// <summary><c>ivr web</c>: the settings website on <c>IVR_WEB__LISTEN</c> (default 127.0.0.1:8080), on the same store and rules.</summary>
internal static class WebCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("web", "Run the settings website (IVR_WEB__LISTEN, default 127.0.0.1:8080).");
        command.SetAction(async (_, cancellationToken) =>
        {
            await using var services = context.CreateServices();
            var web = context.Configuration.GetSection("Web");
            var defaults = new WebsiteOptions();
            var options = new WebsiteOptions
            {
                Listen = web["Listen"] is { } listen ? EndPoints.Parse(listen, "IVR_WEB__LISTEN") : defaults.Listen,
                IdleTimeout = web.GetValue("IdleTimeout", defaults.IdleTimeout),
                SetupNumber = web["SetupNumber"] ?? defaults.SetupNumber,
                LoginAttemptsPerMinute = web.GetValue("LoginAttemptsPerMinute", defaults.LoginAttemptsPerMinute),
            };
            await using var app = IvrWebsite.Build(services.GetRequiredService<WebsiteLogin>(), services.GetRequiredService<AuthenticationUnits>(),
                options, services.GetRequiredService<TimeProvider>(), context.ConfigureLogging);
            await app.RunAsync();
            return ExitCodes.Success;
        });
        return command;
    }
}
