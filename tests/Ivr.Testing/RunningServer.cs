using System.Net;
using Ivr.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Ivr.Testing;

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
        return new RunningServer(app, FastAgiHost.BoundEndPoint(app));
    }

    /// <summary>What SIGTERM does: stop accepting, let calls finish within the grace period, then end them.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
