using System.CommandLine;
using System.Net;
using Ivr.Cli.Configuration;
using Microsoft.Extensions.Configuration;

namespace Ivr.Cli.Commands;

/// <summary>The lab's <c>--server host:port</c>; by default the address <c>ivr serve</c> listens on.</summary>
internal static class ServerOption
{
    public static Option<string?> Create() => new("--server") { Description = "The FastAGI server, host:port (default: IVR_LISTEN, 127.0.0.1:4573)." };

    public static IPEndPoint Resolve(string? value, IConfiguration configuration) =>
        value is null ? IvrSettings.Listen(configuration) : IvrSettings.EndPoint(value, "--server");
}
