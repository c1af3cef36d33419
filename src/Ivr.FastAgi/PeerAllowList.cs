using System.Collections.Concurrent;
using System.Net;

namespace Ivr.FastAgi;

/// <summary>
/// Which peers may talk FastAGI to us: the port has no authentication of its own, so whoever reaches it could
/// claim any caller id. Refusals are logged at most once a minute per address, so a scan cannot flood the log.
/// </summary>
public sealed class PeerAllowList(IReadOnlyList<IPNetwork> allowed, TimeProvider time)
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<IPAddress, DateTimeOffset> _lastLogged = new();

    public bool Allows(IPAddress? peer)
    {
        if (peer is null)
        {
            return false;
        }
        var address = peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer;
        return allowed.Any(network => network.Contains(address));
    }

    /// <summary>Whether a refusal of <paramref name="peer"/> should be logged now.</summary>
    public bool ShouldLogRefusal(IPAddress peer)
    {
        var now = time.GetUtcNow();
        if (_lastLogged.TryGetValue(peer, out var last) && now - last < LogInterval)
        {
            return false;
        }
        _lastLogged[peer] = now;
        if (_lastLogged.Count > 10_000)
        {
            _lastLogged.Clear(); // bounded: a scan over many addresses cannot grow this without limit
        }
        return true;
    }
}
