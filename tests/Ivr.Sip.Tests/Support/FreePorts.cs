using System.Net;
using System.Net.Sockets;

namespace Ivr.Sip.Tests.Support;

/// <summary>Loopback ports nobody holds right now, so that a run never collides with another lab on the machine.</summary>
internal static class FreePorts
{
    /// <summary>A port free for both UDP and TCP (SIP listens on both), and, when asked, the port after it too.</summary>
    public static int ForSip(IPAddress address, int following = 0)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20_000, 60_000);
            if (Enumerable.Range(port, following + 1).All(p => IsFree(address, p, SocketType.Dgram, ProtocolType.Udp) && IsFree(address, p, SocketType.Stream, ProtocolType.Tcp)))
            {
                return port;
            }
        }
        throw new InvalidOperationException($"no free port on {address}");
    }

    /// <summary>The even first port of an RTP range of at most 2,000 ports; a port in use there is skipped by whoever picks it.</summary>
    public static int RtpRange() => Random.Shared.Next(10_000, 29_000) * 2;

    private static bool IsFree(IPAddress address, int port, SocketType type, ProtocolType protocol)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, type, protocol);
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
