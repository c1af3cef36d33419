using Ivr.Testing;
using Microsoft.Extensions.Options;

namespace Ivr.Store.Tests.Hashing;

public sealed class PasswordHashingOptionsValidatorTests
{
    private const string PepperProblem = "IVR_PEPPER must be base64 of at least 32 bytes";

    private static readonly string ShortPepper = Convert.ToBase64String(new byte[31]);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not base64 at all!")]
    [TestCase("AAAA")]
    public void A_missing_or_malformed_pepper_is_refused_in_one_line(string? pepper)
    {
        var options = TestHashing.Options();
        options.Pepper = pepper;

        var failure = Assert.Throws<OptionsValidationException>(() => _ = new PasswordHasher(options));

        Assert.That(failure!.Message, Is.EqualTo(PepperProblem));
    }

    [Test]
    public void A_pepper_of_31_bytes_is_too_short()
    {
        Assert.That(PasswordHashingOptionsValidator.FindProblem(TestHashing.Options(pepper: ShortPepper)), Is.EqualTo(PepperProblem));
    }

    [Test]
    public void A_bad_previous_pepper_is_named_as_such()
    {
        Assert.That(PasswordHashingOptionsValidator.FindProblem(TestHashing.Options(previousPeppers: [TestHashing.NewPepper(), ShortPepper])),
            Is.EqualTo("IVR_PREVIOUS_PEPPERS must be comma-separated base64 values of at least 32 bytes each"));
    }

    [TestCase(999)]
    [TestCase(0)]
    [TestCase(100_000_001)]
    public void An_iteration_count_out_of_range_is_refused(int iterations)
    {
        Assert.That(PasswordHashingOptionsValidator.FindProblem(TestHashing.Options(iterations: iterations)),
            Is.EqualTo("IVR_HASH_ITERATIONS must be between 1000 and 100000000 (default 600000)"));
    }

    [Test]
    public void No_hashing_at_once_is_refused()
    {
        var options = TestHashing.Options();
        options.MaxConcurrentHashes = 0;

        Assert.That(new PasswordHashingOptionsValidator().Validate(null, options).FailureMessage, Is.EqualTo("IVR_HASH_CONCURRENCY must be at least 1"));
    }

    [Test]
    public void Configuration_text_gives_the_pepper_the_previous_ones_and_the_count()
    {
        var previous = TestHashing.NewPepper();

        var options = PasswordHashingOptions.FromBase64($" {TestHashing.Pepper}\n", $"{previous}, ", 2000);

        Assert.That((options.Pepper, options.PreviousPeppers, options.Iterations), Is.EqualTo((TestHashing.Pepper, new[] { previous }, 2000)));
    }

    [Test]
    public void Configuration_text_without_a_pepper_is_refused_in_one_line()
    {
        var failure = Assert.Throws<ArgumentException>(() => PasswordHashingOptions.FromBase64(null, null, PasswordHashingOptions.DefaultIterations));

        Assert.That(failure!.Message, Is.EqualTo(PepperProblem));
    }

    [Test]
    public void The_defaults_are_owasps_count_and_at_least_one_hash_at_a_time()
    {
        var options = new PasswordHashingOptions();

        Assert.That((options.Iterations, options.MaxConcurrentHashes), Is.EqualTo((600_000, Math.Max(1, Environment.ProcessorCount - 1))));
    }
}
