using System.CommandLine;
using System.Net;
using Ivr.Hosting;
using Ivr.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ivr.Cli.Commands;

/// <summary>
/// <c>ivr health [--live]</c>: asks a running <c>ivr serve</c> on this host whether it is ready (or alive), through its
/// operations listener, so container health checks need no HTTP client of their own in the image.
/// </summary>
internal static class HealthCommand
{
    public static Command Create(CliContext context)
    {
        var live = new Option<bool>("--live") { Description = "Ask only whether the process answers (liveness), not whether it can serve (readiness)." };
        var command = new Command("health", "Whether the server on IVR_OPERATIONS_LISTEN is ready (exit 0) or not (exit 1).") { live };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = context.CreateServices();
            var setting = services.GetRequiredService<IOptions<ServerOptions>>().Value.OperationsListen;
            var listener = EndPoints.ParseOptional(setting, "IVR_OPERATIONS_LISTEN")
                ?? throw new UsageProblem("IVR_OPERATIONS_LISTEN is off: there is no health endpoint to ask");
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
