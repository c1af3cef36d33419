namespace Ivr.Server;

/// <summary>The FastAGI server's settings, bound from the configuration's root keys (<c>IVR_LISTEN</c>, …).</summary>
public sealed class ServerOptions
{
    /// <summary>The FastAGI port (SPEC §5).</summary>
    public const int DefaultAgiPort = 4573;

    /// <summary>Where FastAGI listens (<c>IVR_LISTEN</c>, <c>host:port</c>). Defaults to 127.0.0.1:4573.</summary>
    public string Listen { get; set; } = $"127.0.0.1:{DefaultAgiPort}";

    /// <summary>The peers allowed to connect, addresses or CIDR networks, comma-separated (<c>IVR_AGI_ALLOW</c>). Defaults to loopback only.</summary>
    public string AgiAllow { get; set; } = "127.0.0.0/8,::1";

    /// <summary>
    /// An optional shared secret (<c>IVR_AGI_KEY</c>, at least 16 characters) that the server asks Asterisk for on every
    /// call, from Asterisk's own environment (<c>GET VARIABLE ENV(IVR_AGI_KEY)</c>); a call without it hears
    /// <c>system-error</c> and nothing is written.
    /// </summary>
    public string? AgiKey { get; set; }

    /// <summary>
    /// How many calls may be in progress at once (<c>IVR_MAX_CALLS</c>); a connection beyond it is closed at once and
    /// counted as refused. Defaults to 20,000: twice the 10,000 calls a 2-core server holds open (docs/benchmarks.md),
    /// each a socket, so the process's open-file limit must allow it.
    /// </summary>
    public int MaxCalls { get; set; } = 20_000;

    /// <summary>How long calls in progress may finish after SIGTERM (<c>IVR_SHUTDOWN_GRACE_PERIOD</c>). Defaults to 30 seconds.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where audit rows wait when the database cannot take them (<c>IVR_AUDIT_SPOOL</c>): a folder on a local,
    /// persistent disk, one per server process. Defaults to <c>audit-spool</c> beside the program.
    /// </summary>
    public string AuditSpool { get; set; } = Path.Combine(AppContext.BaseDirectory, "audit-spool");

    /// <summary>
    /// How many rows the audit spool may hold (<c>IVR_AUDIT_SPOOL_LIMIT</c>); past it a row is lost, with a critical log
    /// line. Defaults to 100,000: a day of calls at a busy hour's rate, about 40 MB of files.
    /// </summary>
    public int AuditSpoolLimit { get; set; } = 100_000;

    /// <summary>
    /// Where the health and metrics endpoints listen (<c>IVR_OPERATIONS_LISTEN</c>, <c>host:port</c>, or <c>off</c>).
    /// Defaults to 127.0.0.1:9464, loopback only: bind it where only the operators' network reaches.
    /// </summary>
    public string OperationsListen { get; set; } = "127.0.0.1:9464";
}
