using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ivr.Store;

/// <summary>
/// Hashes temporary and chosen passwords: HMAC-SHA-256 with the server pepper, then PBKDF2-HMAC-SHA256 with a
/// random salt, stored as one self-describing string
/// <c>$ivr-pbkdf2-sha256$v=1,k=&lt;pepper id&gt;,i=&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c>, so the algorithm, the
/// iterations and the pepper can all change later without invalidating what is stored.
/// </summary>
/// <remarks>
/// An 8-digit secret has only 10^8 values: without the pepper, a stolen database falls to an offline search in
/// hours. The slow KDF runs on the thread pool, at most <see cref="PasswordHashingOptions.MaxConcurrentHashes"/>
/// at a time, never on an I/O path.
/// </remarks>
public sealed class PasswordHasher
{
    private const string Scheme = "ivr-pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly PasswordHashingOptions _options;
    private readonly Dictionary<string, byte[]> _peppers;
    private readonly string _currentPepperId;
    private readonly SemaphoreSlim _slots;

    public PasswordHasher(PasswordHashingOptions options)
    {
        _options = options;
        _currentPepperId = PepperId(options.Pepper);
        _peppers = options.PreviousPeppers.Prepend(options.Pepper).DistinctBy(PepperId).ToDictionary(PepperId);
        _slots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentHashes));
    }

    public async Task<string> HashAsync(string secret, CancellationToken cancellationToken)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = await RunBoundedAsync(() => Derive(secret, _options.Pepper, salt, _options.Iterations), cancellationToken);
        return string.Create(CultureInfo.InvariantCulture,
            $"${Scheme}$v=1,k={_currentPepperId},i={_options.Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether <paramref name="secret"/> is the one <paramref name="stored"/> was made from. A malformed or foreign string never matches.</summary>
    public async Task<bool> VerifyAsync(string secret, string stored, CancellationToken cancellationToken)
    {
        if (!TryParse(stored, out var pepperId, out var iterations, out var salt, out var expected) || !_peppers.TryGetValue(pepperId, out var pepper))
        {
            return false;
        }
        var actual = await RunBoundedAsync(() => Derive(secret, pepper, salt, iterations), cancellationToken);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Spends the time of a verification without a stored hash, so an unknown login answers as slowly as a known one.</summary>
    public Task SpendVerificationTimeAsync(string secret, CancellationToken cancellationToken) =>
        RunBoundedAsync(() => Derive(secret, _options.Pepper, new byte[SaltBytes], _options.Iterations), cancellationToken);

    private async Task<byte[]> RunBoundedAsync(Func<byte[]> derive, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(derive, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    private static byte[] Derive(string secret, byte[] pepper, byte[] salt, int iterations)
    {
        var peppered = HMACSHA256.HashData(pepper, Encoding.UTF8.GetBytes(secret));
        return Rfc2898DeriveBytes.Pbkdf2(peppered, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
    }

    // A short public fingerprint of a pepper: names which pepper made a hash without revealing it.
    private static string PepperId(byte[] pepper) =>
        Convert.ToHexStringLower(SHA256.HashData([.. "ivr-pepper-id:"u8, .. pepper]))[..8];

    private static bool TryParse(string stored, out string pepperId, out int iterations, out byte[] salt, out byte[] hash)
    {
        (pepperId, iterations, salt, hash) = ("", 0, [], []);
        var parts = stored.Split('$');
        if (parts is not ["", Scheme, var parameters, var saltText, var hashText])
        {
            return false;
        }
        var fields = parameters.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (fields.GetValueOrDefault("v") != "1" || !fields.TryGetValue("k", out var id)
            || !int.TryParse(fields.GetValueOrDefault("i"), NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 1)
        {
            return false;
        }
        try
        {
            (pepperId, salt, hash) = (id, Convert.FromBase64String(saltText), Convert.FromBase64String(hashText));
            return hash.Length == HashBytes;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
