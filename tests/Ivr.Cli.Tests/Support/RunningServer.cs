using System.Net;
using Ivr.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Ivr.Cli.Tests.Support;

/// <summary>The very host <c>ivr serve</c> runs, on a free loopback port.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningServer(WebApplication app, IPEndPoint endPoint)
    {
        _app = app;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public string Address => $"{EndPoint.Address}:{EndPoint.Port}";

    public static async Task<RunningServer> StartAsync(IConfiguration configuration, Action<ILoggingBuilder>? logging = null)
    {
        var app = FastAgiHost.Build(configuration, logging ?? (builder => builder.SetMinimumLevel(LogLevel.Warning)));
        await app.StartAsync();
        var address = FastAgiHost.BoundAddress(app);
        return new RunningServer(app, new IPEndPoint(IPAddress.Parse(address.Host), address.Port));
    }

    /// <summary>What SIGTERM does: stop accepting, let calls finish within the grace period, then end them.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
