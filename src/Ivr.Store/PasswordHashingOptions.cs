namespace Ivr.Store;

/// <summary>How secrets are hashed. The pepper is a server secret: configuration only, never the database, never a log.</summary>
public sealed class PasswordHashingOptions
{
    /// <summary>OWASP's current recommendation for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet).</summary>
    public const int DefaultIterations = 600_000;

    public const int MinimumPepperBytes = 32;

    /// <summary>The pepper new hashes are made with.</summary>
    public required byte[] Pepper { get; init; }

    /// <summary>Retired peppers, accepted for verification only, so a rotation does not lock anyone out.</summary>
    public IReadOnlyList<byte[]> PreviousPeppers { get; init; } = [];

    /// <summary>PBKDF2 iterations for new hashes; each hash records its own, so raising this later keeps old hashes valid.</summary>
    public int Iterations { get; init; } = DefaultIterations;

    /// <summary>How many hashes may run at once. Defaults to the core count, so a surge of commits cannot starve the protocol path.</summary>
    public int MaxConcurrentHashes { get; init; } = Environment.ProcessorCount;

    /// <summary>Builds the options from configuration text, with one-line errors naming the setting.</summary>
    public static PasswordHashingOptions FromBase64(string? pepper, string? previousPeppers, int iterations)
    {
        if (iterations is < 1_000 or > 100_000_000)
        {
            throw new ArgumentException("IVR_HASH_ITERATIONS must be between 1000 and 100000000");
        }
        return new PasswordHashingOptions
        {
            Pepper = DecodePepper(pepper, "IVR_PEPPER"),
            PreviousPeppers = (previousPeppers ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(old => DecodePepper(old, "IVR_PREVIOUS_PEPPERS")).ToList(),
            Iterations = iterations,
        };
    }

    private static byte[] DecodePepper(string? text, string setting)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException($"{setting} is not set: it must be base64 of at least {MinimumPepperBytes} random bytes");
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{setting} is not valid base64");
        }
        return bytes.Length >= MinimumPepperBytes ? bytes
            : throw new ArgumentException($"{setting} must be base64 of at least {MinimumPepperBytes} bytes (it has {bytes.Length})");
    }
}
