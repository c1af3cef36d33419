using System.Collections.Concurrent;

namespace Ivr.FastAgi;

/// <summary>
/// The connections' receive or send buffers, of one size, on the pinned object heap and kept from call to call.
/// </summary>
/// <remarks>
/// A call's receive buffer waits in the kernel's hands for most of the call, so it is pinned; but a pinned buffer
/// is freed only by a full collection, and every new one counts towards the allocation that starts the next. A
/// buffer per call at hundreds of calls a second is a full collection every few seconds, and megabytes of dead
/// buffers between them. Kept here, a buffer serves call after call. At most <c>capacity</c> wait here: the
/// buffers of a surge's extra calls go back to the collector when their calls end.
/// </remarks>
public sealed class SocketBufferPool(int bufferSize, int capacity)
{
    private readonly ConcurrentQueue<byte[]> _free = new();
    private int _kept;

    /// <summary>The size of every buffer this pool lends.</summary>
    public int BufferSize => bufferSize;

    /// <summary>A buffer of <see cref="BufferSize"/> bytes, pinned; its contents are whatever the last call left.</summary>
    public byte[] Rent()
    {
        if (_free.TryDequeue(out var buffer))
        {
            Interlocked.Decrement(ref _kept);
            return buffer;
        }
        return GC.AllocateUninitializedArray<byte>(bufferSize, pinned: true);
    }

    /// <summary>Takes back a buffer no socket operation can still use; one of another size (a grown one) is left to the collector.</summary>
    public void Return(byte[] buffer)
    {
        if (buffer.Length != bufferSize)
        {
            return;
        }
        if (Interlocked.Increment(ref _kept) > capacity)
        {
            Interlocked.Decrement(ref _kept);
            return;
        }
        _free.Enqueue(buffer);
    }
}
