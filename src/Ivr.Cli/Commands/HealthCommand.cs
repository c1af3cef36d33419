using System.CommandLine;
using System.Net;
using Ivr.Hosting;
using Ivr.Server;
using Ivr.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ivr.Cli.Commands;

/// <summary>
/// <c>ivr health [--web] [--live]</c>: asks a running <c>ivr serve</c> (or <c>ivr web</c>) on this host whether it is
/// ready (or alive), through its operations listener, so container health checks need no HTTP client in the image.
/// </summary>
internal static class HealthCommand
{
    public static Command Create(CliContext context)
    {
        var live = new Option<bool>("--live") { Description = "Ask only whether the process answers (liveness), not whether it can serve (readiness)." };
        var web = new Option<bool>("--web") { Description = "Ask the website (IVR_WEB__OPERATIONS_LISTEN) instead of the FastAGI server." };
        var command = new Command("health", "Whether the server on IVR_OPERATIONS_LISTEN is ready (exit 0) or not (exit 1).") { live, web };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = context.CreateServices();
            var (setting, name) = parseResult.GetValue(web)
                ? ((context.Configuration.GetSection(IvrWebsite.ConfigurationSection).Get<WebsiteOptions>() ?? new()).OperationsListen, "IVR_WEB__OPERATIONS_LISTEN")
                : (services.GetRequiredService<IOptions<ServerOptions>>().Value.OperationsListen, "IVR_OPERATIONS_LISTEN");
            var listener = EndPoints.ParseOptional(setting, name) ?? throw new UsageProblem($"{name} is off: there is no health endpoint to ask");
            // A listener on every interface is asked on loopback.
            var host = listener.Address.Equals(IPAddress.Any) || listener.Address.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : listener.Address;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var path = parseResult.GetValue(live) ? IvrHosting.LivePath : IvrHosting.ReadyPath;
            using var response = await http.GetAsync(new UriBuilder("http", host.ToString(), listener.Port, path).Uri, cancellationToken);
            var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
            await context.Output.WriteLineAsync($"{(int)response.StatusCode} {body}");
            return response.IsSuccessStatusCode ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }
}
