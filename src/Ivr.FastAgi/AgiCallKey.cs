using System.Security.Cryptography;
using System.Text;

namespace Ivr.FastAgi;

/// <summary>
/// A shared secret the dialplan passes with each call (<c>agi://host/temp-password?key=…</c> or an AGI argument
/// <c>key=…</c>), so that reaching the port is not enough to be believed. Compared in constant time.
/// </summary>
public sealed class AgiCallKey(string secret)
{
    public const string ParameterName = "key";

    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Whether the call presented the key. Hashing both sides first makes the comparison length-independent.</summary>
    public bool IsPresentedBy(AgiEnvironment environment) =>
        environment.Parameter(ParameterName) is { } presented
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _expected);
}
