namespace Ivr.Lab;

/// <summary>The server's share of a caller's wait: from Asterisk's reply to <paramref name="After"/> until the server's next command.</summary>
/// <param name="After">The command replied to, with its prompt file (<c>GET DATA temp-password/confirm-password</c>).</param>
/// <param name="Elapsed">How long the server took.</param>
public readonly record struct Turnaround(string After, TimeSpan Elapsed);
