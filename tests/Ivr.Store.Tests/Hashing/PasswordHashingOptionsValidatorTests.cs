using Ivr.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ivr.Store.Tests.Hashing;

/// <summary>The hashing settings as an operator gives them (<c>IVR_PEPPER</c>, …), read through the store's composition.</summary>
public sealed class PasswordHashingOptionsValidatorTests
{
    private const string PepperProblem = "IVR_PEPPER must be base64 of at least 32 bytes";

    private static readonly string ShortPepper = Convert.ToBase64String(new byte[31]);

    [TestCase("not base64 at all!")]
    [TestCase("AAAA")]
    public void A_malformed_pepper_is_refused_in_one_line(string pepper) =>
        Assert.That(Problem(new() { ["Pepper"] = pepper }), Is.EqualTo(PepperProblem));

    [TestCase(null)]
    [TestCase("")]
    public void A_missing_pepper_says_how_to_give_one(string? pepper) =>
        Assert.That(Problem(new() { ["Pepper"] = pepper }),
            Is.EqualTo("IVR_PEPPER is not set: give base64 of at least 32 random bytes, or IVR_PEPPER_FILE naming a file that holds it"));

    [Test]
    public void A_pepper_of_31_bytes_is_too_short() => Assert.That(Problem(new() { ["Pepper"] = ShortPepper }), Is.EqualTo(PepperProblem));

    [Test]
    public void A_bad_previous_pepper_is_named_as_such() =>
        Assert.That(Problem(new() { ["PreviousPeppers"] = $"{TestHashing.NewPepper()},{ShortPepper}" }),
            Is.EqualTo("IVR_PREVIOUS_PEPPERS must be comma-separated base64 values of at least 32 bytes each"));

    [TestCase("999")]
    [TestCase("0")]
    [TestCase("100000001")]
    public void An_iteration_count_out_of_range_is_refused(string iterations) =>
        Assert.That(Problem(new() { ["HashIterations"] = iterations }), Is.EqualTo("IVR_HASH_ITERATIONS must be between 1000 and 100000000 (default 600000)"));

    [Test]
    public void No_hashing_at_once_is_refused() =>
        Assert.That(Problem(new() { ["HashConcurrency"] = "0" }), Is.EqualTo("IVR_HASH_CONCURRENCY must be at least 1"));

    [Test]
    public void A_hash_wait_out_of_range_is_refused() =>
        Assert.That(Problem(new() { ["HashWait"] = "00:05:00" }), Is.EqualTo("IVR_HASH_WAIT '00:05:00' must be between 00:00:00.1 and 00:01:00"));

    [Test]
    public void The_pepper_may_come_from_a_file_with_surrounding_white_space()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, $" {TestHashing.Pepper}\n");
            using var services = Services(new() { ["Pepper"] = null, ["PepperFile"] = file });

            var hasher = services.GetRequiredService<PasswordHasher>();

            Assert.That(hasher.CurrentKeyId, Is.EqualTo(TestHashing.Hasher().CurrentKeyId));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void An_unreadable_pepper_file_is_named() =>
        Assert.That(Problem(new() { ["Pepper"] = null, ["PepperFile"] = "/nonexistent/ivr-pepper" }), Does.StartWith("IVR_PEPPER_FILE /nonexistent/ivr-pepper cannot be read: "));

    [Test]
    public void The_defaults_are_owasps_count_a_hashing_slot_per_spare_core_but_two_at_least_and_a_three_second_wait()
    {
        var options = new PasswordHashingOptions();
        // A core is left to the protocol path on machines that have cores to spare; a single slot never.
        var slots = Environment.ProcessorCount > 3 ? Environment.ProcessorCount - 1 : 2;

        Assert.That((options.Iterations, options.MaxConcurrentHashes, options.MaxWait),
            Is.EqualTo((600_000, slots, TimeSpan.FromSeconds(3))));
    }

    private static string? Problem(Dictionary<string, string?> settings)
    {
        using var services = Services(settings);
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<PasswordHasher>())!.Message;
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new Dictionary<string, string?>(TestHashing.Settings()) { ["Database"] = "Host=127.0.0.1" };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }
        return TestServices.Store(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
    }
}
