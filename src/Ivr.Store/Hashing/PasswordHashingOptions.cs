namespace Ivr.Store;

/// <summary>
/// How temporary and chosen passwords are hashed (SPEC §4). The peppers are server secrets: they come from
/// configuration only, never from the database, and are never logged.
/// </summary>
public sealed class PasswordHashingOptions
{
    /// <summary>OWASP's Password Storage Cheat Sheet count for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>The current pepper, base64 of at least 32 random bytes (<c>IVR_PEPPER</c>). New hashes use it.</summary>
    public string? Pepper { get; set; }

    /// <summary>
    /// Retired peppers, base64 each (<c>IVR_PREVIOUS_PEPPERS</c>), accepted for verification only, so that a
    /// rotation does not lock anyone out. Each hash names its pepper by key id.
    /// </summary>
    public IList<string> PreviousPeppers { get; set; } = [];

    /// <summary>
    /// PBKDF2 iterations for new hashes (<c>IVR_HASH_ITERATIONS</c>). Defaults to 600,000. Each hash records its
    /// own count, so raising this later keeps old hashes valid. Tests lower it for speed; production should not.
    /// </summary>
    public int Iterations { get; set; } = DefaultIterations;

    /// <summary>
    /// How many hashes may run at once (<c>IVR_HASH_CONCURRENCY</c>). Defaults to the core count less one (at
    /// least one), so a surge of commits leaves a core to the protocol path (issue 6).
    /// </summary>
    public int MaxConcurrentHashes { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>
    /// Options from configuration text: the pepper, the retired ones comma-separated, and the iteration count.
    /// Throws <see cref="ArgumentException"/> with a one-line message naming the setting when one is wrong.
    /// </summary>
    public static PasswordHashingOptions FromBase64(string? pepper, string? previousPeppers, int iterations)
    {
        var options = new PasswordHashingOptions
        {
            Pepper = pepper?.Trim(),
            PreviousPeppers = (previousPeppers ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            Iterations = iterations,
        };
        return PasswordHashingOptionsValidator.FindProblem(options) is { } problem ? throw new ArgumentException(problem) : options;
    }
}
