using System.Security.Cryptography;
using System.Text;

namespace Ivr.FastAgi;

/// <summary>
/// A shared secret the server asks Asterisk for on each call, from Asterisk's own environment
/// (<c>GET VARIABLE ENV(IVR_AGI_KEY)</c>), so that reaching the port is not enough to be believed. Neither an AGI
/// argument (Asterisk logs every application's arguments at verbose 3) nor a dialplan global (logged at verbose 2
/// when the dialplan loads): a command's reply appears only with <c>agi set debug on</c> (tests/Ivr.Sip.Tests
/// reads Asterisk's log for each). Compared in constant time.
/// </summary>
public sealed class AgiCallKey(string secret)
{
    /// <summary>What the server asks for: <c>GET VARIABLE</c> of a name ending in <c>)</c> reads a function.</summary>
    public const string VariableName = "ENV(IVR_AGI_KEY)";

    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Whether the peer's dialplan holds the key. Hashing both sides first makes the comparison length-independent.</summary>
    public async Task<bool> IsPresentedByAsync(AgiSession session) =>
        await session.GetVariableAsync(VariableName) is { } presented
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _expected);
}
