using System.Net;
using System.Net.Sockets;

namespace Ivr.Testing;

/// <summary>A loopback port nobody listens on now, for a listener that needs a port of its own before it starts.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
