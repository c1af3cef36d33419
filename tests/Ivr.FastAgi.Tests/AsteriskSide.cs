using System.IO.Pipelines;
using System.Text;
using Ivr.FastAgi;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ivr.FastAgi.Tests;

/// <summary>Asterisk's end of a pipe pair: writes the environment and replies, reads the session's commands.</summary>
internal sealed class AsteriskSide : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toAsterisk = new();

    public AgiSession Session { get; private set; } = null!;

    // The figures of every session the tests start; no test reads them.
    private static readonly FastAgiMetrics Metrics = new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    public static async Task<AsteriskSide> StartAsync(FastAgiLimits? limits = null, string afterEnvironment = "", string environment = "")
    {
        var side = new AsteriskSide();
        await side.WriteAsync("agi_network: yes\nagi_network_script: temp-password\nagi_uniqueid: 1.1\nagi_callerid: 0612345678\n" + environment + "\n" + afterEnvironment);
        side.Session = await AgiSession.StartAsync(side._toServer.Reader, side._toAsterisk.Writer,
            limits ?? new FastAgiLimits { FailureHangUpWindow = TimeSpan.FromMilliseconds(100), ReplyTimeout = TimeSpan.FromSeconds(5) },
            Metrics, NullLogger.Instance);
        return side;
    }

    public async Task WriteAsync(string text) => await _toServer.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>The next command line the session sent.</summary>
    public async Task<string> ReadCommandAsync()
    {
        while (true)
        {
            var read = await _toAsterisk.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            var buffer = read.Buffer;
            if (AgiLineReader.TryReadLine(ref buffer, 8192, out var line))
            {
                var text = Encoding.UTF8.GetString(line);
                _toAsterisk.Reader.AdvanceTo(buffer.Start);
                return text;
            }
            _toAsterisk.Reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public Task CloseAsync() => _toServer.Writer.CompleteAsync().AsTask();

    public async ValueTask DisposeAsync() => await Session.DisposeAsync();
}
