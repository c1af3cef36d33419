using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ivr.FastAgi;

/// <summary>
/// The FastAGI port: accepts connections and hands each socket to the <see cref="FastAgiConnectionHandler"/>. On a
/// stop it accepts no more, waits for the calls in progress while the host allows (they end themselves within the
/// <see cref="FastAgiShutdown"/> grace period), then closes whatever is left.
/// </summary>
/// <remarks>
/// A call costs the socket and the session, nothing more: no web server's connection, no pipe pair, no task of the
/// listener's own per connection. What an open call holds is copied by every young garbage collection while its
/// caller keys, and that copying was most of the tail latency under load (docs/benchmarks.md).
/// </remarks>
public sealed class FastAgiListener : IHostedLifecycleService, IDisposable
{
    // Kestrel's default: connections Asterisk opens in a burst wait in the kernel, not refused.
    private const int Backlog = 512;
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly EndPoint _endPoint;
    private readonly FastAgiConnectionHandler _handler;
    private readonly ILogger _logger;
    private Socket? _listening;
    private Task _accepting = Task.CompletedTask;
    private volatile bool _stopping;

    public FastAgiListener(EndPoint endPoint, FastAgiConnectionHandler handler, ILogger<FastAgiListener> logger)
    {
        _endPoint = endPoint;
        _handler = handler;
        _logger = logger;
    }

    /// <summary>The address the listener is bound to, once started (the port chosen when the configuration asked for 0).</summary>
    public IPEndPoint? LocalEndPoint => _listening?.LocalEndPoint as IPEndPoint;

    /// <summary>
    /// Takes the port while the host is starting (every service's <c>StartingAsync</c> runs before any <c>StartAsync</c>),
    /// so a port in use fails the start before the background services run, in one line.
    /// </summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var listening = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // A restarted server takes its port back at once, as Kestrel's listener does.
            listening.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (_endPoint is IPEndPoint { Address: var address } && address.Equals(IPAddress.IPv6Any))
            {
                listening.DualMode = true; // [::] means every address, IPv4 ones too, as it does for Kestrel
            }
            listening.Bind(_endPoint);
            listening.Listen(Backlog);
        }
        catch (SocketException e)
        {
            listening.Dispose();
            throw new IOException($"cannot listen for FastAGI on {_endPoint}: {e.Message}", e);
        }
        _listening = listening;
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Log.Listening(_logger, LocalEndPoint!);
        _accepting = AcceptAsync(_listening!);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task AcceptAsync(Socket listening)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listening.AcceptAsync();
            }
            catch (ObjectDisposedException)
            {
                return; // the listener was closed: the server is stopping
            }
            catch (SocketException e) when (!_stopping)
            {
                if (e.SocketErrorCode is not (SocketError.ConnectionReset or SocketError.ConnectionAborted))
                {
                    // Out of descriptors, most likely: calls that end free some; accepting at once would only spin.
                    Log.AcceptFailed(_logger, e.Message);
                    await Task.Delay(AcceptRetryDelay);
                }
                continue; // a connection reset while still in the kernel's queue is simply gone
            }
            catch (SocketException)
            {
                return;
            }
            socket.NoDelay = true; // one command line, one packet, at once
            _ = _handler.OnConnectedAsync(socket); // never throws: the handler ends every call itself
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _listening?.Dispose();
        await _accepting;
        await _handler.EndAsync(cancellationToken);
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listening?.Dispose();
}
