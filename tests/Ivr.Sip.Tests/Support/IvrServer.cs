using System.Collections.Concurrent;
using Ivr.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Ivr.Sip.Tests.Support;

/// <summary>The very host <c>ivr serve</c> runs, in-process, keeping its warnings and errors for the tests to read.</summary>
internal sealed class IvrServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IvrServer(WebApplication app, ConcurrentQueue<string> log)
    {
        _app = app;
        Log = log;
    }

    /// <summary>Every line the server logged at Warning and above.</summary>
    public ConcurrentQueue<string> Log { get; }

    public static async Task<IvrServer> StartAsync(IConfiguration configuration)
    {
        var log = new ConcurrentQueue<string>();
        var app = FastAgiHost.Build(configuration, logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(new Provider(log)));
        await app.StartAsync();
        return new IvrServer(app, log);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Provider(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {formatter(state, exception)} {exception}");

        public void Dispose()
        {
        }
    }
}
