using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ivr.FastAgi;

/// <summary>
/// Serves one FastAGI connection per call under Kestrel: checks the peer before reading a byte, reads the
/// environment within its limits, routes on the script path, runs the script, and closes the connection when
/// the script ends (Asterisk never closes it itself). No exception escapes a call.
/// </summary>
public sealed class FastAgiConnectionHandler : ConnectionHandler
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

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var peer = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (!_allowList.Allows(peer))
        {
            _metrics.PeerRefused();
            if (peer is not null && _allowList.ShouldLogRefusal(peer))
            {
                Log.PeerRefused(_logger, peer);
            }
            connection.Abort();
            return;
        }
        if (Interlocked.Increment(ref _calls) > _limits.MaxConcurrentCalls)
        {
            Interlocked.Decrement(ref _calls);
            _metrics.PeerRefused();
            Log.TooManyCalls(_logger, _limits.MaxConcurrentCalls);
            connection.Abort();
            return;
        }
        try
        {
            await ServeAsync(connection);
        }
        finally
        {
            Interlocked.Decrement(ref _calls);
        }
    }

    private async Task ServeAsync(ConnectionContext connection)
    {
        AgiSession session;
        try
        {
            session = await AgiSession.StartAsync(connection.Transport, _limits, _metrics, _logger, connection.ConnectionClosed);
        }
        catch (AgiProtocolException e)
        {
            Log.EnvironmentRefused(_logger, connection.RemoteEndPoint, e.Reason);
            return;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
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
}
