using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Ivr.FastAgi;

/// <summary>
/// Serves one FastAGI connection per call: checks the peer before reading a byte, reads the environment within
/// its limits, routes on the script path, runs the script, and closes the connection when the call is over
/// (Asterisk never closes it itself). No exception escapes a call.
/// </summary>
public sealed class FastAgiConnectionHandler
{
    private readonly FastAgiLimits _limits;
    private readonly PeerAllowList _allowList;
    private readonly IReadOnlyDictionary<string, IAgiScript> _scripts;
    private readonly FastAgiShutdown _shutdown;
    private readonly FastAgiMetrics _metrics;
    private readonly ILogger _logger;
    private int _calls;

    public FastAgiConnectionHandler(
        FastAgiLimits limits, IEnumerable<IAgiScript> scripts, FastAgiShutdown shutdown, FastAgiMetrics metrics, TimeProvider time,
        ILogger<FastAgiConnectionHandler> logger)
    {
        _limits = limits;
        _metrics = metrics;
        _allowList = new PeerAllowList(limits.AllowedPeers, time);
        _scripts = scripts.ToDictionary(script => script.Path, StringComparer.Ordinal);
        _shutdown = shutdown;
        _logger = logger;
    }

    /// <summary>Calls in progress now.</summary>
    public int CallsInProgress => Volatile.Read(ref _calls);

    /// <summary>Serves the call on <paramref name="socket"/>; the caller of this method disposes the socket afterwards.</summary>
    public async Task OnConnectedAsync(Socket socket)
    {
        var peer = (socket.RemoteEndPoint as IPEndPoint)?.Address;
        if (!_allowList.Allows(peer))
        {
            _metrics.PeerRefused();
            if (peer is not null && _allowList.ShouldLogRefusal(peer))
            {
                Log.PeerRefused(_logger, peer);
            }
            return;
        }
        if (Interlocked.Increment(ref _calls) > _limits.MaxConcurrentCalls)
        {
            Interlocked.Decrement(ref _calls);
            _metrics.PeerRefused();
            Log.TooManyCalls(_logger, _limits.MaxConcurrentCalls);
            return;
        }
        try
        {
            AgiSession session;
            try
            {
                // The environment block is the most the reader holds: the session's limits end a call long before.
                var input = new SocketPipeReader(socket, _limits.MaxEnvironmentLines * (_limits.MaxLineLength + 2));
                session = await AgiSession.StartAsync(input, new SocketPipeWriter(socket), _limits, _metrics, _logger);
            }
            catch (AgiProtocolException e)
            {
                Log.EnvironmentRefused(_logger, socket.RemoteEndPoint, e.Reason);
                return;
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                return;
            }
            await using (session)
            {
                var path = session.Environment.NetworkScript;
                if (path is null || !_scripts.TryGetValue(path, out var script))
                {
                    Log.UnknownScript(_logger, session.Environment.UniqueId, path);
                    return;
                }
                try
                {
                    await script.RunAsync(session, _shutdown.CallsMustEnd);
                }
                catch (Exception e)
                {
                    Log.ScriptFailed(_logger, session.Environment.UniqueId, e);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _calls);
        }
    }
}
