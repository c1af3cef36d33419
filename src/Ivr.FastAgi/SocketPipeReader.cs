using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Ivr.FastAgi;

/// <summary>
/// A FastAGI connection's bytes in, as a <see cref="PipeReader"/> over the socket itself: one small buffer of the
/// call's own, received into directly, and reads that allocate nothing.
/// </summary>
/// <remarks>
/// <para>
/// A call waits for its caller most of its life, with a read pending. A general-purpose reader (a stream's pipe
/// reader) allocates a task for every such read, which outlives a young garbage collection and is copied by it;
/// this one completes its reads through one reusable slot, like <see cref="AgiSession"/>'s reply slot. The buffer
/// is pinned, lent by a <see cref="SocketBufferPool"/> and given back by <see cref="Complete"/>, so the call can
/// keep it while it waits (a read straight into it costs one system call, where waiting with a zero-byte read
/// first costs two).
/// </para>
/// <para>
/// The buffer grows (doubling) only while one line, or the environment block, has not arrived whole, up to
/// the limit it is given; the session's own limits end a call long before. <see cref="CancelPendingRead"/>
/// shuts the socket's receiving side down: this reader only ever stops reading for good.
/// </para>
/// </remarks>
public sealed class SocketPipeReader : PipeReader, IValueTaskSource<ReadResult>
{
    private readonly int _maxBuffered;
    private readonly SocketBufferPool _buffers;
    private readonly Receiver _receiver;
    private Socket _socket = null!; // the connection's, until the reader is given the next one
    private ArraySegment<byte> _lent; // the pool's buffer, until it is given back
    private byte[] _buffer; // the lent buffer's array, or a larger one of the reader's own
    private int _origin; // where the buffer starts in the array
    private int _limit; // where it ends
    // Indexes into the array, as the sequences handed out and the positions handed back are.
    private int _start; // the first byte not consumed
    private int _examined; // the end of what the consumer has looked at
    private int _end; // the end of what has arrived
    private bool _endOfStream;
    private ManualResetValueTaskSourceCore<ReadResult> _read; // continuations run where the socket completed: no hop
    private CancellationToken _readCancellation;
    private CancellationTokenRegistration _readCancelling;
    private volatile bool _receivePending; // the socket may still write into the buffer
    private bool _completed;

    /// <param name="maxBuffered">The most bytes held while a line or the environment block is incomplete.</param>
    /// <param name="buffers">Lends the first buffer, and takes it back when reading is complete.</param>
    public SocketPipeReader(Socket socket, int maxBuffered, SocketBufferPool buffers)
    {
        _buffers = buffers;
        _receiver = new Receiver(this);
        _buffer = [];
        Attach(socket);
        // Every buffer the pool lends is of one size.
        _maxBuffered = Math.Max(maxBuffered, _lent.Count);
    }

    /// <summary>Complete, and no receive into its buffer is pending: it may take another connection (<see cref="Attach"/>).</summary>
    internal bool IsIdle => _completed && !_receivePending;

    /// <summary>The reader will read no more connections: its socket operation is disposed.</summary>
    internal void Retire() => _receiver.Dispose();

    /// <summary>Serves <paramref name="socket"/>: for a new reader, or an idle one, given the next connection.</summary>
    internal void Attach(Socket socket)
    {
        _socket = socket;
        _lent = _buffers.Rent();
        (_buffer, _origin, _limit) = (_lent.Array!, _lent.Offset, _lent.Offset + _lent.Count);
        _start = _examined = _end = _origin;
        (_endOfStream, _completed) = (false, false);
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_examined < _end || _endOfStream)
        {
            return new ValueTask<ReadResult>(Result());
        }
        MakeRoom();
        cancellationToken.ThrowIfCancellationRequested();
        _read.Reset();
        _readCancellation = cancellationToken;
        _receiver.SetBuffer(_buffer, _end, _limit - _end);
        if (cancellationToken.CanBeCanceled)
        {
            // A read given up on ends reading for good (the receiving side is shut down): only the environment's
            // deadline gives one up, and that ends the call.
            _readCancelling = cancellationToken.UnsafeRegister(static reader => ((SocketPipeReader)reader!).CancelPendingRead(), this);
        }
        _receivePending = true;
        bool pending;
        try
        {
            pending = _socket.ReceiveAsync(_receiver);
        }
        catch
        {
            _receivePending = false;
            LetGoOfCancellation();
            throw;
        }
        if (!pending)
        {
            _receivePending = false;
            return new ValueTask<ReadResult>(Take());
        }
        return new ValueTask<ReadResult>(this, _read.Version);
    }

    public override bool TryRead(out ReadResult result)
    {
        var ready = _examined < _end || _endOfStream;
        result = ready ? Result() : default;
        return ready;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        // Positions come from Result()'s single-array sequence: their integers are indexes into the buffer.
        _start = consumed.GetInteger();
        _examined = Math.Max(_start, examined.GetInteger());
        if (_start == _end)
        {
            _start = _examined = _end = _origin;
        }
    }

    /// <summary>Ends reading for good: the socket's receiving side is shut down, and a pending read sees the end of the stream.</summary>
    public override void CancelPendingRead()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closed already: no read can be pending.
        }
    }

    /// <summary>
    /// Reading is over: the buffer goes back to the pool, unless a receive into it is still pending (then the
    /// collector has it). The connection is closed by whoever owns the socket.
    /// </summary>
    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        GiveBack();
        if (!_receivePending)
        {
            // A kept reader must not keep the buffer either: a surge's own pinned buffers, each held by one of the
            // readers kept for the next calls, would hold the pinned heap they are scattered over.
            _receiver.SetBuffer(null, 0, 0);
        }
        (_buffer, _origin, _limit) = ([], 0, 0);
        _start = _examined = _end = 0;
    }

    private ReadResult Result() => new(new ReadOnlySequence<byte>(_buffer, _start, _end - _start), isCanceled: false, isCompleted: _endOfStream);

    // Room after the data for the next receive (none is pending now): the unconsumed bytes moved to the front, or a
    // larger buffer of the reader's own, and the pool's then given back.
    private void MakeRoom()
    {
        if (_end < _limit)
        {
            return;
        }
        var (pending, size) = (_end - _start, _limit - _origin);
        var (buffer, origin) = (_buffer, _origin);
        if (pending == size)
        {
            if (size >= _maxBuffered)
            {
                throw new AgiProtocolException(AgiProtocolError.LineTooLong);
            }
            (buffer, origin) = (GC.AllocateUninitializedArray<byte>(Math.Min(size * 2, _maxBuffered), pinned: true), 0);
        }
        Buffer.BlockCopy(_buffer, _start, buffer, origin, pending);
        if (buffer != _buffer)
        {
            GiveBack();
            _limit = buffer.Length;
        }
        (_buffer, _origin, _examined, _start, _end) = (buffer, origin, origin + _examined - _start, origin, origin + pending);
    }

    // The pool's buffer goes back unless a receive into it is still pending: then the collector has it.
    private void GiveBack()
    {
        if (_lent.Array is not null && !_receivePending)
        {
            _buffers.Return(_lent);
        }
        _lent = default;
    }

    private void Received()
    {
        _receivePending = false;
        try
        {
            _read.SetResult(Take());
        }
        catch (Exception e)
        {
            _read.SetException(e);
        }
    }

    // The socket's own failures reach the session as a stream's would: as an IOException.
    private ReadResult Take()
    {
        var cancellation = LetGoOfCancellation();
        if (cancellation.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellation);
        }
        if (_receiver.SocketError != SocketError.Success)
        {
            var error = new SocketException((int)_receiver.SocketError);
            throw new IOException(error.Message, error);
        }
        // Completed while this receive was pending: the buffer is no longer the reader's to show.
        return _completed ? new ReadResult(ReadOnlySequence<byte>.Empty, isCanceled: false, isCompleted: true) : Arrived(_receiver.BytesTransferred);
    }

    // The read is over: its token's registration goes, and so does the token, so the call does not hold its source (the
    // environment's deadline) to its end.
    private CancellationToken LetGoOfCancellation()
    {
        _readCancelling.Dispose();
        var cancellation = _readCancellation;
        (_readCancelling, _readCancellation) = (default, default);
        return cancellation;
    }

    private ReadResult Arrived(int count)
    {
        if (count == 0)
        {
            _endOfStream = true;
        }
        _end += count;
        return Result();
    }

    // A socket operation of the reader's own, kept from connection to connection, where the socket's own receive would
    // make one for every connection, held for the whole call.
    private sealed class Receiver(SocketPipeReader reader) : SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true)
    {
        protected override void OnCompleted(SocketAsyncEventArgs e) => reader.Received();
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _read.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _read.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _read.OnCompleted(continuation, state, token, flags);
}
