using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Ivr.Sip.Tests.Support;

/// <summary>
/// A phone's outgoing RTP stream: PCMU silence every 20 ms, and each key as an RFC 4733 telephone-event, all in
/// one stream (one SSRC, one sequence), as phones send them.
/// </summary>
internal sealed class RtpSender(UdpClient socket, IPEndPoint remote, byte eventType)
{
    public const byte AudioPayloadType = 0; // PCMU
    private const int SamplesPerPacket = 160; // 20 ms at 8 kHz

    private readonly ConcurrentQueue<(char Key, TaskCompletionSource? Sent)> _keys = new();

    /// <summary>Queues keys; the task completes when the last one has been sent.</summary>
    public Task SendKeysAsync(string keys)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < keys.Length; i++)
        {
            _keys.Enqueue((keys[i], i == keys.Length - 1 ? sent : null));
        }
        return sent.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Sends from <paramref name="delay"/> after the call until <paramref name="stopping"/>: a 20 ms packet of
    /// silence, or while a key is pressed its event (160 ms of tone, three end packets, then 100 ms of silence).
    /// </summary>
    public async Task RunAsync(TimeSpan delay, CancellationToken stopping)
    {
        var sequence = (ushort)Random.Shared.Next(ushort.MaxValue);
        var timestamp = (uint)Random.Shared.Next();
        var ssrc = (uint)Random.Shared.Next();
        var silence = Enumerable.Repeat((byte)0xFF, SamplesPerPacket).ToArray();
        KeyPress? pressing = null;
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            await Task.Delay(delay, stopping);
            while (await ticks.WaitForNextTickAsync(stopping))
            {
                if (pressing is null && _keys.TryDequeue(out var next))
                {
                    pressing = new KeyPress(next.Key, next.Sent, timestamp);
                }
                var packet = pressing is { Tick: < KeyPress.EventTicks } key
                    ? Rtp(eventType, marker: key.Tick == 0, sequence, key.Start, ssrc, key.Event())
                    : Rtp(AudioPayloadType, marker: false, sequence, timestamp, ssrc, silence);
                if (pressing is not null && ++pressing.Tick == KeyPress.AllTicks)
                {
                    pressing.Sent?.TrySetResult();
                    pressing = null;
                }
                await socket.SendAsync(packet, remote, stopping);
                sequence++;
                timestamp += SamplesPerPacket;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One key being pressed: which 20 ms packet of it is next.</summary>
    private sealed class KeyPress(char key, TaskCompletionSource? sent, uint start)
    {
        private const int ToneTicks = 8;
        public const int EventTicks = ToneTicks + 3;
        public const int AllTicks = EventTicks + 5;

        public TaskCompletionSource? Sent { get; } = sent;

        /// <summary>Every packet of one event carries the timestamp of its start (RFC 4733 §2.5.1.3).</summary>
        public uint Start { get; } = start;

        public int Tick { get; set; }

        /// <summary>The event payload: code, end bit and volume, duration so far; the last three repeat the end.</summary>
        public byte[] Event()
        {
            var end = Tick >= ToneTicks;
            var duration = (ushort)(SamplesPerPacket * Math.Min(Tick + 1, ToneTicks));
            return [Code(key), (byte)((end ? 0x80 : 0) | 10), (byte)(duration >> 8), (byte)duration];
        }

        private static byte Code(char key) => key switch
        {
            >= '0' and <= '9' => (byte)(key - '0'),
            '*' => 10,
            '#' => 11,
            _ => throw new ArgumentException($"not a telephone key: {key}", nameof(key)),
        };
    }

    private static byte[] Rtp(byte payloadType, bool marker, ushort sequence, uint timestamp, uint ssrc, byte[] payload)
    {
        var packet = new byte[12 + payload.Length];
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        packet[2] = (byte)(sequence >> 8);
        packet[3] = (byte)sequence;
        packet[4] = (byte)(timestamp >> 24);
        packet[5] = (byte)(timestamp >> 16);
        packet[6] = (byte)(timestamp >> 8);
        packet[7] = (byte)timestamp;
        packet[8] = (byte)(ssrc >> 24);
        packet[9] = (byte)(ssrc >> 16);
        packet[10] = (byte)(ssrc >> 8);
        packet[11] = (byte)ssrc;
        payload.CopyTo(packet, 12);
        return packet;
    }
}
