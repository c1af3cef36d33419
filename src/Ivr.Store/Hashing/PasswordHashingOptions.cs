using Microsoft.Extensions.Configuration;

namespace Ivr.Store;

/// <summary>
/// How temporary and chosen passwords are hashed (SPEC §4), bound from the configuration's root keys. The peppers
/// are server secrets: they come from the environment or a file only, never from the database, and are never logged.
/// </summary>
public sealed class PasswordHashingOptions
{
    /// <summary>OWASP's Password Storage Cheat Sheet count for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>The current pepper, base64 of at least 32 random bytes (<c>IVR_PEPPER</c>). New hashes use it.</summary>
    public string? Pepper { get; set; }

    /// <summary>A file holding the pepper (<c>IVR_PEPPER_FILE</c>, e.g. a container secret), read when <see cref="Pepper"/> is not set.</summary>
    public string? PepperFile { get; set; }

    /// <summary>
    /// Retired peppers, base64 each, comma-separated (<c>IVR_PREVIOUS_PEPPERS</c>), accepted for verification only,
    /// so that a rotation does not lock anyone out. Each hash names its pepper by key id.
    /// </summary>
    public string? PreviousPeppers { get; set; }

    /// <summary>
    /// PBKDF2 iterations for new hashes (<c>IVR_HASH_ITERATIONS</c>). Defaults to 600,000. Each hash records its
    /// own count, so raising this later keeps old hashes valid. Tests lower it for speed; production should not.
    /// </summary>
    [ConfigurationKeyName("HashIterations")]
    public int Iterations { get; set; } = DefaultIterations;

    /// <summary>
    /// How many hashes may run at once (<c>IVR_HASH_CONCURRENCY</c>). Defaults to the core count less one, so a surge
    /// of commits leaves a core to the protocol path (issue 6), and at least two: one slot busy half the time (four
    /// setups a second) kept callers waiting after their confirmation for up to a second at p99 on two cores, where
    /// two slots keep it under 20 ms (docs/benchmarks.md).
    /// </summary>
    [ConfigurationKeyName("HashConcurrency")]
    public int MaxConcurrentHashes { get; set; } = Math.Max(2, Environment.ProcessorCount - 1);

    /// <summary>
    /// How long a call's temporary password may wait for a hashing slot before the caller hears <c>system-error</c>
    /// and nothing is written (<c>IVR_HASH_WAIT</c>). Defaults to 3 seconds. The wait starts at the first password
    /// entry and overlaps the confirmation prompt (issue 11); docs/benchmarks.md gives the capacity per core.
    /// </summary>
    [ConfigurationKeyName("HashWait")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The retired peppers, one per entry.</summary>
    public IReadOnlyList<string> PreviousPepperList =>
        (PreviousPeppers ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The pepper's text: <see cref="Pepper"/>, or else the content of <see cref="PepperFile"/>.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public string? ResolvePepper() =>
        !string.IsNullOrWhiteSpace(Pepper) ? Pepper.Trim()
        : !string.IsNullOrWhiteSpace(PepperFile) ? File.ReadAllText(PepperFile).Trim()
        : null;
}
