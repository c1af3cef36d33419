using System.Globalization;

namespace Ivr.Store;

/// <summary>
/// A hash as stored, self-describing (SPEC §4): <c>$ivr-pbkdf2-sha256$v=1$k=&lt;pepper key id&gt;$i=&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c>,
/// salt (16 bytes) and hash (32 bytes) in unpadded base64, in the spirit of the PHC string format.
/// </summary>
internal readonly record struct StoredHash(string KeyId, int Iterations, byte[] Salt, byte[] Hash)
{
    public const string Scheme = "ivr-pbkdf2-sha256";
    public const int SaltBytes = 16;
    public const int HashBytes = 32;
    private const string Version = "v=1";

    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"${Scheme}${Version}$k={KeyId}$i={Iterations}${Unpadded(Salt)}${Unpadded(Hash)}");

    /// <summary>Reads a stored hash; anything else is an <see cref="UnverifiableHashException"/>, never a wrong password.</summary>
    public static StoredHash Parse(string text)
    {
        if (text.Split('$') is ["", Scheme, Version, ['k', '=', .. var keyId], ['i', '=', .. var count], var salt, var hash]
            && keyId.Length > 0
            && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            && iterations is > 0 and <= PasswordHashingOptionsValidator.MaximumIterations
            && FromUnpadded(salt, SaltBytes) is { } saltBytes
            && FromUnpadded(hash, HashBytes) is { } hashBytes)
        {
            return new StoredHash(keyId, iterations, saltBytes, hashBytes);
        }
        throw new UnverifiableHashException($"the stored hash is not in the ${Scheme}${Version} format");
    }

    private static string Unpadded(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[]? FromUnpadded(string text, int length)
    {
        var buffer = new byte[length + 3];
        var padded = text + new string('=', (4 - (text.Length % 4)) % 4);
        return Convert.TryFromBase64String(padded, buffer, out var written) && written == length ? buffer[..length] : null;
    }
}
