using System.Net.Sockets;
using System.Net;
using System.Text;
using Ivr.FastAgi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ivr.FastAgi.Tests;

/// <summary>The FastAGI listener and connection handler on a free loopback port, serving a script that greets and hangs up.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly IHost _app;

    private TestServer(IHost app, IPEndPoint endPoint, GreetingScript script)
    {
        _app = app;
        EndPoint = endPoint;
        Script = script;
    }

    public IPEndPoint EndPoint { get; }

    public GreetingScript Script { get; }

    public FastAgiConnectionHandler Handler => _app.Services.GetRequiredService<FastAgiConnectionHandler>();

    public static Task<TestServer> StartAsync(FastAgiLimits limits, params IAgiScript[] moreScripts) =>
        StartAsync(new IPEndPoint(IPAddress.Loopback, 0), limits, moreScripts);

    public static async Task<TestServer> StartAsync(IPEndPoint listen, FastAgiLimits limits, params IAgiScript[] moreScripts)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        var script = new GreetingScript();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(limits);
        builder.Services.AddSingleton<IAgiScript>(script);
        foreach (var more in moreScripts)
        {
            builder.Services.AddSingleton(more);
        }
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<FastAgiMetrics>();
        builder.Services.AddSingleton(p => new FastAgiShutdown(p.GetRequiredService<IHostApplicationLifetime>(), TimeSpan.FromSeconds(1), TimeProvider.System));
        builder.Services.AddSingleton<FastAgiConnectionHandler>();
        builder.Services.AddSingleton(p => new FastAgiListener(
            listen, p.GetRequiredService<FastAgiConnectionHandler>(), p.GetRequiredService<ILogger<FastAgiListener>>()));
        builder.Services.AddHostedService(p => p.GetRequiredService<FastAgiListener>());
        var app = builder.Build();
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<FastAgiListener>().LocalEndPoint!;
        return new TestServer(app, new IPEndPoint(IPAddress.Loopback, bound.Port), script);
    }

    /// <summary>
    /// Connects (optionally from a given local address), sends <paramref name="bytes"/>, then, when
    /// <paramref name="answer"/>, answers each command as Asterisk would; returns every command line the server
    /// sent until it closed the connection.
    /// </summary>
    public async Task<string> ExchangeAsync(byte[] bytes, IPAddress? from = null, bool answer = true)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }
        try
        {
            await socket.ConnectAsync(EndPoint);
        }
        catch (SocketException)
        {
            return ""; // refused so early that the connection was reset during the handshake
        }
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var received = new StringBuilder();
        try
        {
            await stream.WriteAsync(bytes);
            while (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) is { } line)
            {
                received.Append(line).Append('\n');
                if (answer)
                {
                    var reply = line.StartsWith("HANGUP", StringComparison.Ordinal) ? "200 result=1\nHANGUP\n" : "200 result=0 endpos=1\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(reply));
                }
            }
        }
        catch (IOException)
        {
            // The server closed on us (a reset): the exchange is over.
        }
        return received.ToString();
    }

    /// <summary>Connects and sends the environment of a call to <paramref name="script"/>; the caller's end of the line.</summary>
    public async Task<(Socket Socket, NetworkStream Stream)> CallAsync(string script, string uniqueId = "7.7")
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(EndPoint);
        var stream = new NetworkStream(socket, ownsSocket: true);
        await stream.WriteAsync(Environment(script, uniqueId));
        return (socket, stream);
    }

    public static byte[] Environment(string script = "greeting", string uniqueId = "7.7") =>
        Encoding.UTF8.GetBytes($"agi_network: yes\nagi_network_script: {script}\nagi_uniqueid: {uniqueId}\nagi_callerid: 0612345678\n\n");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        _app.Dispose();
    }

    internal sealed class GreetingScript : IAgiScript
    {
        private int _calls;

        public string Path => "greeting";

        public int Calls => Volatile.Read(ref _calls);

        public async Task RunAsync(AgiSession session, CancellationToken stopping)
        {
            Interlocked.Increment(ref _calls);
            await session.StreamFileAsync("hello");
            await session.HangUpAsync();
        }
    }

    /// <summary>
    /// Plays a prompt, then (unless the caller hangs up meanwhile) hangs up, then has work left that waits on
    /// <see cref="Gate"/>, as the call flow's audit write does.
    /// </summary>
    internal sealed class GatedScript(string path, bool hangUp) : IAgiScript
    {
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Path => path;

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Finished => _finished.Task;

        public async Task RunAsync(AgiSession session, CancellationToken stopping)
        {
            try
            {
                await session.StreamFileAsync("hello");
                if (hangUp)
                {
                    await session.HangUpAsync();
                }
                else
                {
                    await Task.Delay(Timeout.Infinite, session.HangUp).ContinueWith(_ => { }, TaskScheduler.Default);
                }
                await Gate.Task;
            }
            finally
            {
                _finished.TrySetResult();
            }
        }
    }
}
