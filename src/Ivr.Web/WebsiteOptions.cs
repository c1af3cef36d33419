using System.Net;
using Ivr.Hosting;

namespace Ivr.Web;

/// <summary>The settings website's settings, bound from the configuration section <c>Web</c> (variables <c>IVR_WEB__…</c>).</summary>
public sealed record WebsiteOptions
{
    /// <summary>Where the website listens (<c>IVR_WEB__LISTEN</c>). Defaults to 127.0.0.1:8080: put a TLS-terminating proxy in front in production.</summary>
    public string Listen { get; init; } = "127.0.0.1:8080";

    /// <summary>A signed-in subscriber who does nothing this long is signed out (<c>IVR_WEB__IDLE_TIMEOUT</c>). Defaults to 15 minutes.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A session ends this long after its password was proved, however busy (<c>IVR_WEB__SESSION_LIFETIME</c>; OWASP
    /// ASVS 3.3.2), so that a stolen cookie cannot be kept alive by using it. Defaults to 12 hours.
    /// </summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>The setup number the messages tell subscribers to call for a new temporary password (<c>IVR_WEB__SETUP_NUMBER</c>).</summary>
    public string SetupNumber { get; init; } = "0120-000-000";

    /// <summary>Password checks (logins, changes, unit changes) allowed per browser address per minute (<c>IVR_WEB__LOGIN_ATTEMPTS_PER_MINUTE</c>). Defaults to 10.</summary>
    public int LoginAttemptsPerMinute { get; init; } = 10;

    /// <summary>
    /// The proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed, addresses and networks,
    /// comma-separated (<c>IVR_WEB__TRUSTED_PROXIES</c>). Defaults to loopback only (a proxy on this host); empty
    /// trusts nobody. Anyone else's forwarded headers are ignored.
    /// </summary>
    public string TrustedProxies { get; init; } = "127.0.0.0/8,::1";

    /// <summary>
    /// The key ring key (<c>IVR_WEB__KEY_RING_KEY</c>, or a file holding it, <c>IVR_WEB__KEY_RING_KEY_FILE</c>): base64
    /// of at least 32 random bytes, never from the repository. It encrypts the Data Protection keys stored in the
    /// database; every instance must have the same one. Required.
    /// </summary>
    public string? KeyRingKey { get; init; }

    /// <inheritdoc cref="KeyRingKey"/>
    public string? KeyRingKeyFile { get; init; }

    /// <summary>
    /// Browsers reach the website over HTTPS only, through the TLS-terminating proxy (<c>IVR_WEB__HTTPS_ONLY</c>): the
    /// cookies are then always Secure and named <c>__Host-…</c>, so no other host or plain-HTTP page can set or
    /// overwrite them. Defaults to false.
    /// </summary>
    public bool HttpsOnly { get; init; }

    /// <summary>
    /// Where the website's health and metrics endpoints listen (<c>IVR_WEB__OPERATIONS_LISTEN</c>, <c>host:port</c>, or
    /// <c>off</c>). Defaults to 127.0.0.1:9465, loopback only: never the port subscribers reach.
    /// </summary>
    public string OperationsListen { get; init; } = "127.0.0.1:9465";

    /// <summary>The address to listen on.</summary>
    public IPEndPoint ListenEndPoint => EndPoints.Parse(Listen, "IVR_WEB__LISTEN");

    /// <summary>The operations listener, or null when it is off.</summary>
    public IPEndPoint? OperationsEndPoint => EndPoints.ParseOptional(OperationsListen, "IVR_WEB__OPERATIONS_LISTEN");

    /// <summary>The trusted proxies' networks.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxyNetworks => NetworkList.Parse(TrustedProxies);

    /// <summary>The key ring key's text: <see cref="KeyRingKey"/>, or else the content of <see cref="KeyRingKeyFile"/>.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public string? ResolveKeyRingKey() =>
        !string.IsNullOrWhiteSpace(KeyRingKey) ? KeyRingKey.Trim()
        : !string.IsNullOrWhiteSpace(KeyRingKeyFile) ? File.ReadAllText(KeyRingKeyFile).Trim()
        : null;
}
