using System.IO.Pipelines;
using System.Net.Sockets;

namespace Ivr.FastAgi;

/// <summary>
/// A FastAGI connection's bytes out, as a <see cref="PipeWriter"/> over the socket itself: a command is written into
/// a small buffer lent by a <see cref="SocketBufferPool"/> and sent at once, without waiting, when the socket takes
/// it whole.
/// </summary>
/// <remarks>
/// One command is in flight at a time and its reply comes before the next, so the kernel's send buffer holds at most
/// a line: a send that cannot complete at once does not happen in practice, but it is still awaited, never blocked
/// on (the socket is non-blocking). Completing the writer shuts the connection down both ways, which is how
/// <see cref="AgiSession"/> ends a call the moment it is over; whoever owns the socket closes it afterwards.
/// </remarks>
public sealed class SocketPipeWriter : PipeWriter
{
    private readonly SocketBufferPool _buffers;
    private Socket _socket = null!;
    private ArraySegment<byte> _lent; // the pool's buffer, until it is given back
    private byte[] _buffer; // the lent buffer's array, or a larger one of the writer's own
    private int _origin; // where the buffer starts in the array
    private int _size;
    private int _written;
    private volatile bool _sendPending; // the socket may still read from the buffer
    private bool _completed;

    /// <summary>Writes to <paramref name="socket"/>, which it makes non-blocking, through a buffer from <paramref name="buffers"/>.</summary>
    public SocketPipeWriter(Socket socket, SocketBufferPool buffers)
    {
        _buffers = buffers;
        _buffer = [];
        Attach(socket);
    }

    /// <summary>Complete, and no send from its buffer is pending: it may take another connection (<see cref="Attach"/>).</summary>
    internal bool IsIdle => _completed && !_sendPending;

    /// <summary>Serves <paramref name="socket"/>: for a new writer, or an idle one, given the next connection.</summary>
    internal void Attach(Socket socket)
    {
        _socket = socket;
        _socket.Blocking = false;
        _lent = _buffers.Rent();
        (_buffer, _origin, _size, _written, _completed) = (_lent.Array!, _lent.Offset, _lent.Count, 0, false);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_origin + _written, _size - _written);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_origin + _written, _size - _written);
    }

    public override void Advance(int bytes) => _written += bytes;

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var sent = 0;
        while (sent < _written)
        {
            var count = _socket.Send(_buffer.AsSpan(_origin + sent, _written - sent), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return new ValueTask<FlushResult>(SendRestAsync(sent, cancellationToken));
            }
            if (error != SocketError.Success)
            {
                throw new IOException($"the connection failed ({error})", new SocketException((int)error));
            }
            sent += count;
        }
        _written = 0;
        return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
    }

    private async Task<FlushResult> SendRestAsync(int sent, CancellationToken cancellationToken)
    {
        _sendPending = true;
        try
        {
            while (sent < _written)
            {
                sent += await _socket.SendAsync(_buffer.AsMemory(_origin + sent, _written - sent), SocketFlags.None, cancellationToken);
            }
        }
        catch (SocketException e)
        {
            throw new IOException(e.Message, e);
        }
        finally
        {
            _sendPending = false;
        }
        _written = 0;
        return new FlushResult(isCanceled: false, isCompleted: false);
    }

    /// <summary>Nothing to cancel: a flush sends at once, or waits only for the peer to read.</summary>
    public override void CancelPendingFlush()
    {
    }

    /// <summary>
    /// Ends the connection: shut down both ways, so the peer sees the end at once. Unsent bytes are dropped, and the
    /// buffer goes back to the pool (unless a send from it is still pending: then the collector has it).
    /// </summary>
    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        GiveBack();
        (_buffer, _origin, _size, _written) = ([], 0, 0, 0);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Reset by the peer, or closed already: the connection has ended either way.
        }
    }

    // Room for at least sizeHint more bytes (the buffer doubles as needed).
    private void Reserve(int sizeHint)
    {
        if (_completed)
        {
            throw new InvalidOperationException("the connection has ended");
        }
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed > _size)
        {
            var buffer = GC.AllocateUninitializedArray<byte>(Math.Max(needed, _size * 2), pinned: true);
            _buffer.AsSpan(_origin, _written).CopyTo(buffer);
            GiveBack();
            (_buffer, _origin, _size) = (buffer, 0, buffer.Length);
        }
    }

    // The pool's buffer goes back unless a send from it is still pending: then the collector has it.
    private void GiveBack()
    {
        if (_lent.Array is not null && !_sendPending)
        {
            _buffers.Return(_lent);
        }
        _lent = default;
    }
}
