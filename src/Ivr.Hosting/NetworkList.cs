using System.Net;

namespace Ivr.Hosting;

/// <summary>The text of every list of peers (<c>IVR_AGI_ALLOW</c>, <c>IVR_WEB__TRUSTED_PROXIES</c>), parsed one way.</summary>
public static class NetworkList
{
    /// <summary>Parses <c>127.0.0.1, 10.0.0.0/8, ::1</c>; a bare address is a network of one; empty is no network.</summary>
    /// <exception cref="FormatException">An entry is neither an address nor a CIDR network.</exception>
    public static IReadOnlyList<IPNetwork> Parse(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Contains('/') ? IPNetwork.Parse(entry) : new IPNetwork(IPAddress.Parse(entry), IPAddress.Parse(entry).GetAddressBytes().Length * 8))
            .ToList();
}
