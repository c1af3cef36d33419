using Ivr.Store;

namespace Ivr.Testing;

/// <summary>
/// Hashing options for tests: a fixed test pepper (a secret of the tests only) and a low iteration count, so
/// that suites stay fast. Production keeps <see cref="PasswordHashingOptions.DefaultIterations"/>.
/// </summary>
public static class TestHashing
{
    public const int FastIterations = PasswordHashingOptionsValidator.MinimumIterations;

    public static readonly string Pepper = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    public static PasswordHashingOptions Options(int iterations = FastIterations, string? pepper = null, IList<string>? previousPeppers = null) => new()
    {
        Pepper = pepper ?? Pepper,
        PreviousPeppers = previousPeppers ?? [],
        Iterations = iterations,
    };

    /// <summary>A new random pepper, base64, as an operator makes one (<c>head -c 32 /dev/urandom | base64</c>).</summary>
    public static string NewPepper() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}
