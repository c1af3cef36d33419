using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Ivr.FastAgi;

namespace Ivr.FastAgi.Tests;

/// <summary>The socket reader and writer a FastAGI call runs on, over a real loopback connection.</summary>
public class SocketPipeTests
{
    private static SocketBufferPool ReceiveBuffers(int capacity = 4) => new(bufferSize: 1024, capacity);

    private static SocketBufferPool SendBuffers(int capacity = 4) => new(bufferSize: 256, capacity);

    [Test]
    public async Task A_completed_reader_gives_its_buffer_to_the_next_connection()
    {
        using var pair = await SocketPair.ConnectAsync();
        var buffers = ReceiveBuffers(capacity: 1);
        var reader = new SocketPipeReader(pair.Server, maxBuffered: 1024, buffers);
        await pair.Peer.SendAsync("200 result=1\n"u8.ToArray());
        var read = await reader.ReadAsync();
        Assert.That(MemoryMarshal.TryGetArray(read.Buffer.First, out var received), Is.True);
        reader.AdvanceTo(read.Buffer.End);

        reader.Complete();

        var next = buffers.Rent();
        Assert.That((next.Array, next.Offset), Is.EqualTo((received.Array, received.Offset)));
        Assert.That(async () => await reader.ReadAsync(), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public async Task A_reader_completed_while_a_receive_is_pending_keeps_its_buffer_from_other_connections()
    {
        using var pair = await SocketPair.ConnectAsync();
        var buffers = ReceiveBuffers(capacity: 1);
        var reader = new SocketPipeReader(pair.Server, maxBuffered: 1024, buffers);
        var pending = reader.ReadAsync().AsTask();
        await Task.Delay(50);

        reader.Complete();
        var next = buffers.Rent();
        await pair.Peer.SendAsync("late\n"u8.ToArray());

        var result = await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That((result.IsCompleted, result.Buffer.Length), Is.EqualTo((true, 0L)), "the late bytes are not shown");
        Assert.That(next.AsSpan(0, 5).SequenceEqual("late\n"u8), Is.False, "the socket wrote into a buffer lent to another connection");
    }

    [Test]
    public async Task A_completed_writer_gives_its_buffer_to_the_next_connection()
    {
        using var pair = await SocketPair.ConnectAsync();
        var buffers = SendBuffers(capacity: 1);
        var writer = new SocketPipeWriter(pair.Server, buffers);
        Assert.That(MemoryMarshal.TryGetArray<byte>(writer.GetMemory(), out var sending), Is.True);

        writer.Complete();

        var next = buffers.Rent();
        Assert.That((next.Array, next.Offset), Is.EqualTo((sending.Array, sending.Offset)));
        Assert.That(async () => await writer.FlushAsync(), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public async Task When_every_buffer_is_lent_a_connection_gets_one_of_its_own_which_is_not_kept()
    {
        using var pair = await SocketPair.ConnectAsync();
        var buffers = ReceiveBuffers(capacity: 1);
        var lent = buffers.Rent();
        var reader = new SocketPipeReader(pair.Server, maxBuffered: 1024, buffers);
        await pair.Peer.SendAsync("200 result=1\n"u8.ToArray());

        Assert.That(await ReadLineAsync(reader), Is.EqualTo("200 result=1"));
        reader.Complete();
        buffers.Return(lent);

        var next = buffers.Rent();
        var after = buffers.Rent();
        Assert.That((next.Array, next.Offset), Is.EqualTo((lent.Array, lent.Offset)), "the pool's own buffer is lent again");
        Assert.That(after.Array, Is.Not.SameAs(lent.Array), "the reader's own buffer was not kept");
    }

    [Test]
    public async Task A_line_sent_in_pieces_is_read_whole_and_what_follows_it_stays_for_the_next_read()
    {
        using var pair = await SocketPair.ConnectAsync();
        var reader = new SocketPipeReader(pair.Server, maxBuffered: 64 * 1024, ReceiveBuffers());

        var reading = ReadLineAsync(reader);
        await pair.Peer.SendAsync("200 result="u8.ToArray());
        await Task.Delay(50);
        await pair.Peer.SendAsync("1\nHANGUP\n"u8.ToArray());

        Assert.That(await reading, Is.EqualTo("200 result=1"));
        Assert.That(await ReadLineAsync(reader), Is.EqualTo("HANGUP"));
    }

    [Test]
    public async Task A_line_longer_than_the_buffer_grows_it_up_to_the_limit_and_no_further()
    {
        using var pair = await SocketPair.ConnectAsync();
        var reader = new SocketPipeReader(pair.Server, maxBuffered: 8192, ReceiveBuffers());
        var longLine = new string('a', 5000);
        await pair.Peer.SendAsync(Encoding.ASCII.GetBytes(longLine + "\n"));

        Assert.That(await ReadLineAsync(reader), Is.EqualTo(longLine));

        await pair.Peer.SendAsync(Encoding.ASCII.GetBytes(new string('b', 9000)));
        var tooLong = Assert.ThrowsAsync<AgiProtocolException>(() => ReadLineAsync(reader));
        Assert.That(tooLong!.Reason, Is.EqualTo(AgiProtocolError.LineTooLong));
    }

    [Test]
    public async Task The_peer_closing_completes_the_read()
    {
        using var pair = await SocketPair.ConnectAsync();
        var reader = new SocketPipeReader(pair.Server, maxBuffered: 1024, ReceiveBuffers());
        var reading = reader.ReadAsync().AsTask();

        pair.Peer.Shutdown(SocketShutdown.Send);

        var result = await reading.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That((result.IsCompleted, result.Buffer.Length), Is.EqualTo((true, 0L)));
    }

    [Test]
    public async Task Cancelling_the_pending_read_ends_it_with_the_end_of_the_stream()
    {
        // Shutting down the receiving side of a socket wakes a read already waiting on it (Linux).
        using var pair = await SocketPair.ConnectAsync();
        var reader = new SocketPipeReader(pair.Server, maxBuffered: 1024, ReceiveBuffers());
        var reading = reader.ReadAsync().AsTask();
        await Task.Delay(50);
        Assert.That(reading.IsCompleted, Is.False, "nothing was sent yet");

        reader.CancelPendingRead();

        var result = await reading.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(result.IsCompleted, Is.True);
    }

    [Test]
    public async Task A_read_given_up_on_throws_operation_cancelled()
    {
        using var pair = await SocketPair.ConnectAsync();
        var reader = new SocketPipeReader(pair.Server, maxBuffered: 1024, ReceiveBuffers());
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Assert.That(async () => await reader.ReadAsync(timeout.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    // A call holds its reader to its end: a source it kept (the environment's deadline, with its timer) would be copied
    // by the young collections with everything else the call holds.
    [Test]
    public Task A_read_given_a_token_lets_go_of_its_source_once_it_has_completed() =>
        AssertTheReaderLetsGoAsync(maxBuffered: 1024, ReadWithASourceOfItsOwn);

    // Not inlined, and not async (a frame of its own would outlive it), so nothing but the reader can keep the source alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference ReadWithASourceOfItsOwn(SocketPipeReader reader, Socket peer)
    {
        var source = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var reading = reader.ReadAsync(source.Token).AsTask();
        Thread.Sleep(20); // pending, so the token is registered
        peer.Send("200 result=1\n"u8);
        var read = reading.GetAwaiter().GetResult();
        reader.AdvanceTo(read.Buffer.End);
        source.Dispose();
        return new WeakReference(source);
    }

    // The connection handler keeps readers for the next calls: one that kept the pinned buffer it grew (or got in a
    // surge) would keep that memory, and the pinned heap around it, after the surge.
    [Test]
    public Task A_completed_reader_keeps_no_buffer_of_its_own() => AssertTheReaderLetsGoAsync(maxBuffered: 8192, GrowThenComplete);

    // What use gave the reader, or made it grow, is collected once the reader is done with it, while the reader lives on.
    private static async Task AssertTheReaderLetsGoAsync(int maxBuffered, Func<SocketPipeReader, Socket, WeakReference> use)
    {
        using var pair = await SocketPair.ConnectAsync();
        var reader = new SocketPipeReader(pair.Server, maxBuffered, ReceiveBuffers());
        var used = use(reader, pair.Peer);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.That(used.IsAlive, Is.False);
        GC.KeepAlive(reader);
    }

    // A line longer than the pool's buffer makes the reader a larger one of its own. Not async, and not inlined, so
    // nothing but the reader can keep that buffer alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference GrowThenComplete(SocketPipeReader reader, Socket peer)
    {
        peer.Send(Encoding.ASCII.GetBytes(new string('x', 3000) + "\n"));
        ReadOnlySequence<byte> buffer;
        while (true)
        {
            var read = reader.ReadAsync().AsTask().GetAwaiter().GetResult();
            buffer = read.Buffer;
            if (buffer.PositionOf((byte)'\n') is not null)
            {
                break;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
        Assert.That(MemoryMarshal.TryGetArray(buffer.First, out var grown) && grown.Array!.Length > 1024, Is.True, "the reader grew a buffer of its own");
        var array = new WeakReference(grown.Array);
        reader.AdvanceTo(buffer.End);
        reader.Complete();
        return array;
    }

    [Test]
    public async Task Completing_the_writer_ends_the_connection_at_once_for_the_peer()
    {
        using var pair = await SocketPair.ConnectAsync();
        var writer = new SocketPipeWriter(pair.Server, SendBuffers());
        writer.Write("HANGUP\n"u8);
        await writer.FlushAsync();

        writer.Complete();

        var received = new byte[64];
        var first = await pair.Peer.ReceiveAsync(received.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        var end = await pair.Peer.ReceiveAsync(received.AsMemory(first)).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That((Encoding.ASCII.GetString(received, 0, first), end), Is.EqualTo(("HANGUP\n", 0)));
        Assert.That(() => writer.GetSpan(), Throws.InvalidOperationException);
    }

    [Test]
    public async Task A_write_the_peer_is_slow_to_take_is_awaited_and_arrives_whole()
    {
        using var pair = await SocketPair.ConnectAsync();
        var writer = new SocketPipeWriter(pair.Server, SendBuffers());
        var bytes = new byte[16 * 1024 * 1024]; // far more than the kernel's send and receive buffers together
        Random.Shared.NextBytes(bytes);
        writer.Write(bytes);

        var flushing = writer.FlushAsync().AsTask();
        Assert.That(flushing.IsCompleted, Is.False, "the socket could not take it all at once");
        var received = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (received.Length < bytes.Length)
        {
            received.Write(chunk, 0, await pair.Peer.ReceiveAsync(chunk));
        }
        await flushing.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.That(received.ToArray().SequenceEqual(bytes), Is.True);
    }

    private static async Task<string> ReadLineAsync(PipeReader reader)
    {
        while (true)
        {
            var read = await reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            var buffer = read.Buffer;
            if (AgiLineReader.TryReadLine(ref buffer, 16 * 1024, out var line))
            {
                var text = Encoding.ASCII.GetString(line);
                reader.AdvanceTo(buffer.Start);
                return text;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            Assert.That(read.IsCompleted, Is.False, "the stream ended before the line did");
        }
    }

    /// <summary>Both ends of one loopback TCP connection: the server's, which the reader and writer use, and the peer's.</summary>
    private sealed class SocketPair : IDisposable
    {
        private SocketPair(Socket server, Socket peer) => (Server, Peer) = (server, peer);

        public Socket Server { get; }

        public Socket Peer { get; }

        public static async Task<SocketPair> ConnectAsync()
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await peer.ConnectAsync(listener.LocalEndPoint!);
            return new SocketPair(await listener.AcceptAsync(), peer);
        }

        public void Dispose()
        {
            Server.Dispose();
            Peer.Dispose();
        }
    }
}
