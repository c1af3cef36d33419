using System.Net;

namespace Ivr.FastAgi;

/// <summary>
/// Bounds on what one FastAGI peer may make the server hold, so a silent or hostile peer cannot keep
/// memory, a socket or a call slot for long (in the spirit of Kestrel's server limits).
/// </summary>
public sealed class FastAgiLimits
{
    private int _maxLineLength = 8192;
    private int _maxEnvironmentLines = 128;
    private int _maxConcurrentCalls = 20_000;
    private TimeSpan _environmentTimeout = TimeSpan.FromSeconds(5);
    private TimeSpan _replyTimeout = TimeSpan.FromMinutes(5);
    private TimeSpan _failureHangUpWindow = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// The longest line accepted from the peer, in bytes. Defaults to 8,192, which matches <c>AGI_BUF_LEN</c>,
    /// the buffer <c>res_agi.c</c> reads commands into; a longer line ends the call.
    /// </summary>
    public int MaxLineLength { get => _maxLineLength; set => _maxLineLength = AtLeast(value, 64); }

    /// <summary>
    /// The most <c>agi_*</c> lines in an environment block. Defaults to 128: Asterisk 22 sends about 20 plus
    /// one per AGI argument.
    /// </summary>
    public int MaxEnvironmentLines { get => _maxEnvironmentLines; set => _maxEnvironmentLines = AtLeast(value, 8); }

    /// <summary>How many calls may be in progress at once; more connections are closed at once. Defaults to 20,000.</summary>
    public int MaxConcurrentCalls { get => _maxConcurrentCalls; set => _maxConcurrentCalls = AtLeast(value, 1); }

    /// <summary>How long a new connection may take to send its environment block. Defaults to 5 seconds: Asterisk sends it at once.</summary>
    public TimeSpan EnvironmentTimeout { get => _environmentTimeout; set => _environmentTimeout = Positive(value); }

    /// <summary>
    /// How long a reply may take. Defaults to 5 minutes: a <c>GET DATA</c> legitimately lasts its prompt plus
    /// max-digits × its timeout, so this only catches a peer that stopped answering.
    /// </summary>
    public TimeSpan ReplyTimeout { get => _replyTimeout; set => _replyTimeout = Positive(value); }

    /// <summary>
    /// After a <c>200 result=-1</c>, how long to wait for the <c>HANGUP</c> line that tells a hang-up from a
    /// failure on a live channel (SPEC §7: Asterisk 22 sends the reply first, then <c>HANGUP</c>). Defaults to 300 ms.
    /// </summary>
    public TimeSpan FailureHangUpWindow { get => _failureHangUpWindow; set => _failureHangUpWindow = Positive(value); }

    /// <summary>The peers allowed to connect (addresses or CIDR networks). Defaults to loopback only.</summary>
    public IReadOnlyList<IPNetwork> AllowedPeers { get; set; } = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    private static int AtLeast(int value, int minimum) =>
        value >= minimum ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"must be at least {minimum}");

    private static TimeSpan Positive(TimeSpan value) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be positive");
}
