using System.Collections.Concurrent;

namespace Ivr.FastAgi;

/// <summary>
/// The connections' receive or send buffers, of one size: slices of one pinned block, lent to a call and given back
/// when it ends.
/// </summary>
/// <remarks>
/// A call's receive buffer waits in the kernel's hands for most of the call, so it is pinned; but a pinned array is
/// freed only by a full collection, and every new one counts towards the allocation that starts the next: a buffer
/// per call at hundreds of calls a second is a full collection every few seconds. The block is allocated once and its
/// slices serve call after call. When every slice is lent (a surge), a call gets a pinned array of its own, which is
/// never kept: the surge's arrays die together, so the memory they took can be returned once it is over. (Keeping some
/// of them instead would leave them scattered over the pinned heap, holding all of it.)
/// </remarks>
public sealed class SocketBufferPool
{
    private readonly int _bufferSize;
    private readonly byte[] _block;
    private readonly ConcurrentQueue<int> _free = new();

    /// <param name="bufferSize">The size of every buffer lent.</param>
    /// <param name="capacity">How many slices the block has. Its pages are touched only as slices are first used.</param>
    public SocketBufferPool(int bufferSize, int capacity)
    {
        _bufferSize = bufferSize;
        _block = GC.AllocateUninitializedArray<byte>(bufferSize * capacity, pinned: true);
        for (var offset = 0; offset < _block.Length; offset += bufferSize)
        {
            _free.Enqueue(offset);
        }
    }

    /// <summary>A pinned buffer of the pool's size; its contents are whatever the last call left.</summary>
    public ArraySegment<byte> Rent() =>
        _free.TryDequeue(out var offset)
            ? new ArraySegment<byte>(_block, offset, _bufferSize)
            : new ArraySegment<byte>(GC.AllocateUninitializedArray<byte>(_bufferSize, pinned: true));

    /// <summary>Takes back a buffer no socket operation can still use. One that is not a slice of the block is left to the collector.</summary>
    public void Return(ArraySegment<byte> buffer)
    {
        if (buffer.Array == _block)
        {
            _free.Enqueue(buffer.Offset);
        }
    }
}
