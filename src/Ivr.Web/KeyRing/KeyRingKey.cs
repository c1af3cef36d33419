using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Ivr.Web;

/// <summary>
/// The key ring key (<c>IVR_WEB__KEY_RING_KEY</c>): it encrypts each Data Protection key's secret before the key
/// goes into the database, with AES-256-GCM, so that a copy of the database alone opens no cookie. Its key id, a
/// public fingerprint, is written beside each secret, so that a wrong key is named instead of failing obscurely.
/// </summary>
public sealed class KeyRingKey
{
    /// <summary>As long as the AES-256 key derived from it.</summary>
    public const int MinimumBytes = 32;

    private const int KeyIdBytes = 6;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const string Algorithm = "aes-256-gcm";

    internal static readonly XName SecretElement = "keyRingSecret";

    private readonly byte[] _aesKey;

    private KeyRingKey(byte[] key)
    {
        // Domain-separated: the same random bytes used elsewhere by mistake would still give unrelated keys.
        _aesKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: "ivr-web-key-ring-aes-256-gcm"u8.ToArray());
        KeyId = Convert.ToHexStringLower(SHA256.HashData([.. "ivr-web-key-ring-key-id:"u8, .. key])[..KeyIdBytes]);
    }

    /// <summary>Names the key without revealing it (the first 6 bytes of a domain-separated SHA-256).</summary>
    public string KeyId { get; }

    /// <summary>The key in <paramref name="base64"/>, or null when it is not base64 of at least 32 bytes.</summary>
    public static KeyRingKey? Decode(string? base64)
    {
        var buffer = new byte[((base64?.Length ?? 0) * 3 / 4) + 3];
        return Convert.TryFromBase64String(base64?.Trim() ?? "", buffer, out var length) && length >= MinimumBytes
            ? new KeyRingKey(buffer[..length])
            : null;
    }

    /// <summary>A new random key, base64, as an operator makes one (<c>head -c 32 /dev/urandom | base64</c>).</summary>
    public static string NewBase64() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumBytes));

    /// <summary>Whether <paramref name="element"/> is a secret this key encrypted.</summary>
    internal bool Encrypted(XElement element) => element.Name == SecretElement && (string?)element.Attribute("keyId") == KeyId;

    internal XElement Encrypt(XElement plaintext)
    {
        var bytes = Encoding.UTF8.GetBytes(plaintext.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceBytes + bytes.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_aesKey, TagBytes))
        {
            aes.Encrypt(nonce, bytes, sealedBytes.AsSpan(NonceBytes, bytes.Length), sealedBytes.AsSpan(NonceBytes + bytes.Length), AssociatedData());
        }
        CryptographicOperations.ZeroMemory(bytes);
        return new XElement(SecretElement, new XAttribute("keyId", KeyId), new XAttribute("algorithm", Algorithm), Convert.ToBase64String(sealedBytes));
    }

    /// <exception cref="CryptographicException">Another key encrypted it, or it was altered.</exception>
    internal XElement Decrypt(XElement encrypted)
    {
        if (!Encrypted(encrypted) || (string?)encrypted.Attribute("algorithm") != Algorithm)
        {
            throw new CryptographicException(
                $"a Data Protection key in the database was encrypted with key ring key {(string?)encrypted.Attribute("keyId")}, not with this IVR_WEB__KEY_RING_KEY ({KeyId})");
        }
        var sealedBytes = Convert.FromBase64String(encrypted.Value);
        var bytes = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using (var aes = new AesGcm(_aesKey, TagBytes))
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, bytes.Length), sealedBytes.AsSpan(NonceBytes + bytes.Length), bytes, AssociatedData());
        }
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    // Binds each ciphertext to this scheme and this key's id.
    private byte[] AssociatedData() => Encoding.UTF8.GetBytes($"ivr-web-key-ring:{Algorithm}:{KeyId}");
}
