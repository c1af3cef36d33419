using System.Net;

namespace Ivr.Web;

/// <summary>The settings website's settings (configuration section <c>Web</c>, variables <c>IVR_WEB__…</c>).</summary>
public sealed class WebsiteOptions
{
    /// <summary>Where the website listens. Defaults to 127.0.0.1:8080: put a TLS-terminating proxy in front in production.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 8080);

    /// <summary>A signed-in subscriber who does nothing this long is signed out. Defaults to 15 minutes.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The setup number the messages tell subscribers to call for a new temporary password.</summary>
    public string SetupNumber { get; init; } = "0120-000-000";

    /// <summary>Login attempts allowed per client address per minute. Defaults to 10.</summary>
    public int LoginAttemptsPerMinute { get; init; } = 10;
}
