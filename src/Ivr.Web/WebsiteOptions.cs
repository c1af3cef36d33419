using System.Net;

namespace Ivr.Web;

/// <summary>The settings website's settings (configuration section <c>Web</c>, variables <c>IVR_WEB__…</c>).</summary>
public sealed record WebsiteOptions
{
    /// <summary>Where the website listens. Defaults to 127.0.0.1:8080: put a TLS-terminating proxy in front in production.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 8080);

    /// <summary>A signed-in subscriber who does nothing this long is signed out. Defaults to 15 minutes.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A session ends this long after its password was proved, however busy (OWASP ASVS 3.3.2), so that a stolen
    /// cookie cannot be kept alive by using it. Defaults to 12 hours.
    /// </summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>The setup number the messages tell subscribers to call for a new temporary password.</summary>
    public string SetupNumber { get; init; } = "0120-000-000";

    /// <summary>Password checks (logins, changes, unit changes) allowed per browser address per minute. Defaults to 10.</summary>
    public int LoginAttemptsPerMinute { get; init; } = 10;

    /// <summary>
    /// The proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed: addresses and networks.
    /// Defaults to loopback only (a proxy on this host). Anyone else's forwarded headers are ignored.
    /// </summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [new(IPAddress.Loopback, 8), new(IPAddress.IPv6Loopback, 128)];

    /// <summary>
    /// The key ring key: base64 of at least 32 random bytes, from the environment or a file, never the repository.
    /// It encrypts the Data Protection keys stored in the database; every instance must have the same one.
    /// </summary>
    public string? KeyRingKey { get; init; }

    /// <summary>
    /// Browsers reach the website over HTTPS only (through the TLS-terminating proxy): the cookies are then always
    /// Secure and named <c>__Host-…</c>, so no other host or plain-HTTP page can set or overwrite them. Defaults to false.
    /// </summary>
    public bool HttpsOnly { get; init; }
}
