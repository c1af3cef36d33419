using Microsoft.Extensions.Options;

namespace Ivr.Store;

/// <summary>Checks <see cref="PasswordHashingOptions"/>; each problem is one line naming the environment variable to fix.</summary>
public sealed class PasswordHashingOptionsValidator : IValidateOptions<PasswordHashingOptions>
{
    /// <summary>An HMAC-SHA-256 key as long as its output: anything shorter weakens the pepper.</summary>
    public const int MinimumPepperBytes = 32;

    /// <summary>The floor for tests that lower the count; anything below <see cref="PasswordHashingOptions.DefaultIterations"/> is for tests only.</summary>
    public const int MinimumIterations = 1_000;

    /// <summary>A ceiling that keeps one hash under a few seconds on any machine.</summary>
    public const int MaximumIterations = 100_000_000;

    public ValidateOptionsResult Validate(string? name, PasswordHashingOptions options) =>
        FindProblem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    /// <summary>The first problem, or null when the options are usable.</summary>
    public static string? FindProblem(PasswordHashingOptions options)
    {
        string? pepper;
        try
        {
            pepper = options.ResolvePepper();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"IVR_PEPPER_FILE {options.PepperFile} cannot be read: {e.Message}";
        }
        if (pepper is null)
        {
            return "IVR_PEPPER is not set: give base64 of at least 32 random bytes, or IVR_PEPPER_FILE naming a file that holds it";
        }
        if (Pepper.Decode(pepper) is null)
        {
            return $"IVR_PEPPER must be base64 of at least {MinimumPepperBytes} bytes";
        }
        if (options.PreviousPepperList.Any(previous => Pepper.Decode(previous) is null))
        {
            return $"IVR_PREVIOUS_PEPPERS must be comma-separated base64 values of at least {MinimumPepperBytes} bytes each";
        }
        if (options.Iterations is < MinimumIterations or > MaximumIterations)
        {
            return $"IVR_HASH_ITERATIONS must be between {MinimumIterations} and {MaximumIterations} (default {PasswordHashingOptions.DefaultIterations})";
        }
        if (options.MaxConcurrentHashes < 1)
        {
            return "IVR_HASH_CONCURRENCY must be at least 1";
        }
        return options.MaxWait is { TotalMilliseconds: >= 100 } and { TotalMinutes: <= 1 } ? null
            : $"IVR_HASH_WAIT '{options.MaxWait}' must be between 00:00:00.1 and 00:01:00";
    }
}
