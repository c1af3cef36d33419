using System.CommandLine;
using System.Net;
using Ivr.Hosting;
using Ivr.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ivr.Cli.Commands;

/// <summary>The lab's <c>--server host:port</c>; by default the address <c>ivr serve</c> listens on, and the key it expects.</summary>
internal static class ServerOption
{
    public static Option<string?> Create() => new("--server") { Description = "The FastAGI server, host:port (default: IVR_LISTEN, 127.0.0.1:4573)." };

    /// <summary>Where the lab calls, and the AGI key it presents the way Asterisk does (null when the server needs none).</summary>
    public static (IPEndPoint Server, string? Key) Resolve(string? value, IServiceProvider services)
    {
        var server = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        try
        {
            return (EndPoints.Parse(value ?? server.Listen, value is null ? "IVR_LISTEN" : "--server"), server.AgiKey is { Length: > 0 } key ? key : null);
        }
        catch (FormatException e)
        {
            throw new UsageProblem(e.Message);
        }
    }
}
