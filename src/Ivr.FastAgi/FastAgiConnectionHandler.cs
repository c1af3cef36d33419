using System.Collections.Concurrent;
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
    private const int PooledBuffers = 4096;
    // Sessions kept for the calls to come: enough to absorb arrivals and endings that do not come in step. A busy
    // server's calls end and start hundreds of times a second; the rest of a surge's sessions are left to the collector.
    private const int IdleSessions = 256;

    private readonly FastAgiLimits _limits;
    private readonly PeerAllowList _allowList;
    private readonly IReadOnlyDictionary<string, IAgiScript> _scripts;
    private readonly FastAgiShutdown _shutdown;
    private readonly FastAgiMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Socket, byte> _connections = new();
    // An environment block fits a receive buffer; a command line, a send buffer. Enough for the calls of a busy server
    // (a surge beyond them allocates its own); only the pages of buffers once used take memory.
    private readonly SocketBufferPool _receiveBuffers;
    private readonly SocketBufferPool _sendBuffers;
    private readonly ConcurrentQueue<PooledSession> _idleSessions = new();
    private int _idleSessionCount;
    private readonly TaskCompletionSource _allEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _ending;
    private int _calls;

    public FastAgiConnectionHandler(
        FastAgiLimits limits, IEnumerable<IAgiScript> scripts, FastAgiShutdown shutdown, FastAgiMetrics metrics, TimeProvider time,
        ILogger<FastAgiConnectionHandler> logger)
    {
        _limits = limits;
        _metrics = metrics;
        var pooled = Math.Min(limits.MaxConcurrentCalls, PooledBuffers);
        _receiveBuffers = new SocketBufferPool(bufferSize: 1024, capacity: pooled);
        _sendBuffers = new SocketBufferPool(bufferSize: 256, capacity: pooled);
        _allowList = new PeerAllowList(limits.AllowedPeers, time);
        _scripts = scripts.ToDictionary(script => script.Path, StringComparer.Ordinal);
        _shutdown = shutdown;
        _logger = logger;
    }

    /// <summary>Calls in progress now.</summary>
    public int CallsInProgress => Volatile.Read(ref _calls);

    /// <summary>
    /// Lets go of the sessions kept for the calls to come (the next calls make new ones): once a surge is over, they
    /// would keep the memory around them from being given back.
    /// </summary>
    public void ReleaseIdleSessions()
    {
        while (_idleSessions.TryDequeue(out var idle))
        {
            Interlocked.Decrement(ref _idleSessionCount);
            Retire(idle);
        }
    }

    /// <summary>
    /// Serves the call on <paramref name="socket"/> and closes the socket when it is over. Connections are counted
    /// from here until then, so <see cref="EndAsync"/> can wait for them or close them.
    /// </summary>
    public async Task OnConnectedAsync(Socket socket)
    {
        _connections[socket] = 0;
        var admitted = false;
        PooledSession? pooled = null;
        var mayServeAnother = false;
        try
        {
            admitted = Admit(socket);
            if (!admitted)
            {
                return;
            }
            pooled = SessionFor(socket);
            var session = pooled.Session;
            try
            {
                await session.StartCallAsync();
            }
            catch (AgiProtocolException e)
            {
                Log.EnvironmentRefused(_logger, socket.RemoteEndPoint, e.Reason);
                mayServeAnother = true; // no call started: nothing of one can reach the session
                return;
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                mayServeAnother = true;
                return;
            }
            // The script runs in this frame, not one of its own: a frame lives as long as the call, and the young
            // collections copy what every open call holds.
            try
            {
                var path = session.Environment.NetworkScript;
                if (path is not null && _scripts.TryGetValue(path, out var script))
                {
                    try
                    {
                        await script.RunAsync(session, _shutdown.CallsMustEnd);
                    }
                    catch (Exception e)
                    {
                        Log.ScriptFailed(_logger, session.Environment.UniqueId, e);
                    }
                }
                else
                {
                    Log.UnknownScript(_logger, session.Environment.UniqueId, path);
                }
            }
            finally
            {
                mayServeAnother = await session.EndAsync();
            }
        }
        finally
        {
            if (admitted)
            {
                Interlocked.Decrement(ref _calls);
            }
            if (pooled is not null)
            {
                // Both are complete already when a session ran (it completes them): this gives back the buffers of one that did not start.
                pooled.Input.Complete();
                pooled.Output.Complete();
            }
            socket.Dispose();
            if (pooled is not null)
            {
                KeepOrRetire(pooled, mayServeAnother);
            }
            _connections.TryRemove(socket, out _);
            if (_ending && _connections.IsEmpty)
            {
                _allEnded.TrySetResult();
            }
        }
    }

    // A session, its reader and its writer, for this connection: idle ones that served a call before, or new ones.
    // Each open call holds them until it ends, while its caller keys: the young collections would copy new ones, once
    // into gen1 and once into gen2, where kept ones are there already (docs/benchmarks.md).
    private PooledSession SessionFor(Socket socket)
    {
        if (_idleSessions.TryDequeue(out var idle))
        {
            Interlocked.Decrement(ref _idleSessionCount);
            idle.Input.Attach(socket);
            idle.Output.Attach(socket);
            return idle;
        }
        // The environment block is the most the reader holds: the session's limits end a call long before.
        var input = new SocketPipeReader(socket, _limits.MaxEnvironmentLines * (_limits.MaxLineLength + 2), _receiveBuffers);
        var output = new SocketPipeWriter(socket, _sendBuffers);
        return new PooledSession(input, output, new AgiSession(input, output, _limits, _metrics, _logger));
    }

    // Kept only when nothing of the call just over can reach it any more, and while fewer than IdleSessions wait.
    private void KeepOrRetire(PooledSession pooled, bool mayServeAnother)
    {
        if (mayServeAnother && pooled.Input.IsIdle && pooled.Output.IsIdle)
        {
            if (Interlocked.Increment(ref _idleSessionCount) <= IdleSessions)
            {
                _idleSessions.Enqueue(pooled);
                return;
            }
            Interlocked.Decrement(ref _idleSessionCount);
        }
        Retire(pooled);
    }

    private static void Retire(PooledSession pooled)
    {
        pooled.Session.Retire();
        pooled.Input.Retire();
    }

    private sealed record PooledSession(SocketPipeReader Input, SocketPipeWriter Output, AgiSession Session);

    // The peer is allowed and a call slot is free (taken here, given back when the call ends).
    private bool Admit(Socket socket)
    {
        var peer = (socket.RemoteEndPoint as IPEndPoint)?.Address;
        if (!_allowList.Allows(peer))
        {
            _metrics.PeerRefused();
            if (peer is not null && _allowList.ShouldLogRefusal(peer))
            {
                Log.PeerRefused(_logger, peer);
            }
            return false;
        }
        if (Interlocked.Increment(ref _calls) > _limits.MaxConcurrentCalls)
        {
            Interlocked.Decrement(ref _calls);
            _metrics.PeerRefused();
            Log.TooManyCalls(_logger, _limits.MaxConcurrentCalls);
            return false;
        }
        return true;
    }

    /// <summary>
    /// Waits for the connections in progress to end (the listener accepts no more by now), while
    /// <paramref name="cancellationToken"/> allows; then closes those left, whose calls end as on a hang-up.
    /// </summary>
    public async Task EndAsync(CancellationToken cancellationToken)
    {
        _ending = true;
        if (_connections.IsEmpty)
        {
            return;
        }
        try
        {
            await _allEnded.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            foreach (var socket in _connections.Keys)
            {
                socket.Dispose();
            }
        }
    }
}
