using System.Globalization;
using Ivr.Store;

namespace Ivr.Testing;

/// <summary>
/// Hashing settings for tests: a fixed test pepper (a secret of the tests only) and a low iteration count, so
/// that suites stay fast. Production keeps <see cref="PasswordHashingOptions.DefaultIterations"/>.
/// </summary>
public static class TestHashing
{
    public const int FastIterations = PasswordHashingOptionsValidator.MinimumIterations;

    public static readonly string Pepper = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    public static PasswordHashingOptions Options(int iterations = FastIterations, string? pepper = null, IList<string>? previousPeppers = null) => new()
    {
        Pepper = pepper ?? Pepper,
        PreviousPeppers = string.Join(',', previousPeppers ?? []),
        Iterations = iterations,
    };

    /// <summary>The same settings as configuration keys, the way the programs read them (<c>IVR_PEPPER</c>, …).</summary>
    public static Dictionary<string, string?> Settings(int iterations = FastIterations, string? pepper = null, IList<string>? previousPeppers = null) => new()
    {
        ["Pepper"] = pepper ?? Pepper,
        ["PreviousPeppers"] = string.Join(',', previousPeppers ?? []),
        ["HashIterations"] = iterations.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A hasher composed as the programs compose it.</summary>
    public static PasswordHasher Hasher(PasswordHashingOptions? options = null) =>
        new(options ?? Options(), new StoreMetrics(TestServices.MeterFactory()));

    /// <summary>A new random pepper, base64, as an operator makes one (<c>head -c 32 /dev/urandom | base64</c>).</summary>
    public static string NewPepper() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}
