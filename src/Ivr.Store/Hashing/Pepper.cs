using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Ivr.Store;

/// <summary>
/// A server pepper and its key id. The id is a public fingerprint stored in each hash, so that a hash made
/// before a rotation still finds its pepper among the previous ones.
/// </summary>
internal sealed class Pepper
{
    private const int KeyIdBytes = 6;

    private readonly byte[] _key;

    private Pepper(byte[] key)
    {
        _key = key;
        // A domain-separated digest of a 256-bit secret: names the pepper, reveals nothing usable about it.
        KeyId = Convert.ToHexStringLower(SHA256.HashData([.. "ivr-pepper-key-id:"u8, .. key])[..KeyIdBytes]);
    }

    public string KeyId { get; }

    /// <summary>The pepper in <paramref name="base64"/>, or null when it is not base64 of at least 32 bytes.</summary>
    public static Pepper? Decode(string? base64)
    {
        var buffer = new byte[((base64?.Length ?? 0) * 3 / 4) + 3];
        return Convert.TryFromBase64String(base64?.Trim() ?? "", buffer, out var length)
            && length >= PasswordHashingOptionsValidator.MinimumPepperBytes
            ? new Pepper(buffer[..length])
            : null;
    }

    /// <summary>HMAC-SHA-256 of the password's UTF-8 bytes under the pepper, into a 32-byte <paramref name="destination"/>.</summary>
    public void Apply(string password, Span<byte> destination)
    {
        var length = Encoding.UTF8.GetByteCount(password);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var bytes = rented.AsSpan(0, Encoding.UTF8.GetBytes(password, rented));
            HMACSHA256.HashData(_key, bytes, destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rented.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
