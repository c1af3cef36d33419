using System.IO.Pipelines;
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
    // A reply line is a few dozen bytes and the environment block under a kilobyte: a small buffer, taken from the
    // pool only once bytes have arrived (a zero-byte read waits first), so a call waiting for its caller holds none.
    private static readonly StreamPipeReaderOptions ReadOptions = new(bufferSize: 1024, minimumReadSize: 256, useZeroByteReads: true);
    private static readonly StreamPipeWriterOptions WriteOptions = new(minimumBufferSize: 512);

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
            await ServeAsync(socket);
        }
        finally
        {
            Interlocked.Decrement(ref _calls);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        // Completing the session's writer disposes the stream, which shuts the connection down and closes it: the
        // session does that the moment the call is over.
        var stream = new NetworkStream(socket, ownsSocket: true);
        AgiSession session;
        try
        {
            session = await AgiSession.StartAsync(PipeReader.Create(stream, ReadOptions), PipeWriter.Create(stream, WriteOptions), _limits, _metrics, _logger);
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
}
