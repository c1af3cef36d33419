using System.Text.RegularExpressions;
using Ivr.Testing;

namespace Ivr.Store.Tests.Hashing;

public sealed class PasswordHasherTests
{
    private readonly PasswordHasher _hasher = TestHashing.Hasher();

    [Test]
    public async Task A_hash_is_one_string_naming_its_algorithm_pepper_and_iterations()
    {
        var stored = await _hasher.HashAsync("24681357", CancellationToken.None);

        var format = Regex.Match(stored, @"^\$ivr-pbkdf2-sha256\$v=1\$k=(?<key>[0-9a-f]{12})\$i=(?<iterations>[0-9]+)\$(?<salt>[A-Za-z0-9+/]{22})\$(?<hash>[A-Za-z0-9+/]{43})$");
        Assert.That(format.Success, Is.True, stored);
        Assert.That(format.Groups["key"].Value, Is.EqualTo(_hasher.CurrentKeyId));
        Assert.That(format.Groups["iterations"].Value, Is.EqualTo(TestHashing.FastIterations.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(stored, Does.Not.Contain("24681357"));
    }

    [Test]
    public async Task The_default_is_owasps_600000_iterations()
    {
        var hasher = TestHashing.Hasher(new PasswordHashingOptions { Pepper = TestHashing.Pepper });

        var stored = await hasher.HashAsync("24681357", CancellationToken.None);

        Assert.That(stored, Does.Contain("$i=600000$"));
        Assert.That(await hasher.VerifyAsync("24681357", stored, CancellationToken.None), Is.True);
    }

    [Test]
    public async Task The_right_password_verifies_and_any_other_does_not()
    {
        var stored = await _hasher.HashAsync("24681357", CancellationToken.None);

        Assert.That(await _hasher.VerifyAsync("24681357", stored, CancellationToken.None), Is.True);
        Assert.That(await _hasher.VerifyAsync("24681358", stored, CancellationToken.None), Is.False);
        Assert.That(await _hasher.VerifyAsync("", stored, CancellationToken.None), Is.False);
    }

    [Test]
    public async Task The_same_password_hashes_differently_each_time()
    {
        var first = await _hasher.HashAsync("24681357", CancellationToken.None);
        var second = await _hasher.HashAsync("24681357", CancellationToken.None);

        Assert.That(first, Is.Not.EqualTo(second));
        Assert.That(await _hasher.VerifyAsync("24681357", second, CancellationToken.None), Is.True);
    }

    [Test]
    public async Task Raising_the_iteration_count_keeps_old_hashes_valid_and_marks_them_for_rehash()
    {
        var old = await _hasher.HashAsync("24681357", CancellationToken.None);
        var raised = TestHashing.Hasher(TestHashing.Options(iterations: TestHashing.FastIterations * 2));

        Assert.That(await raised.VerifyAsync("24681357", old, CancellationToken.None), Is.True);
        Assert.That(raised.NeedsRehash(old), Is.True);
        Assert.That(raised.NeedsRehash(await raised.HashAsync("24681357", CancellationToken.None)), Is.False);
    }

    [Test]
    public async Task After_a_pepper_rotation_old_hashes_verify_with_the_previous_pepper_and_new_ones_use_the_new_pepper()
    {
        var old = await _hasher.HashAsync("24681357", CancellationToken.None);
        var rotated = TestHashing.Hasher(TestHashing.Options(pepper: TestHashing.NewPepper(), previousPeppers: [TestHashing.Pepper]));

        Assert.That(await rotated.VerifyAsync("24681357", old, CancellationToken.None), Is.True);
        Assert.That(rotated.NeedsRehash(old), Is.True);
        Assert.That(await rotated.HashAsync("24681357", CancellationToken.None), Does.Contain($"$k={rotated.CurrentKeyId}$"));
        Assert.That(rotated.CurrentKeyId, Is.Not.EqualTo(_hasher.CurrentKeyId));
    }

    [Test]
    public async Task A_hash_made_with_a_pepper_no_longer_configured_cannot_be_verified()
    {
        var old = await _hasher.HashAsync("24681357", CancellationToken.None);
        var other = TestHashing.Hasher(TestHashing.Options(pepper: TestHashing.NewPepper()));

        var failure = Assert.ThrowsAsync<UnverifiableHashException>(() => other.VerifyAsync("24681357", old, CancellationToken.None));

        Assert.That(failure!.Message, Does.Contain(_hasher.CurrentKeyId).And.Contain("IVR_PREVIOUS_PEPPERS"));
    }

    [Test]
    public async Task A_hash_relabelled_with_another_peppers_key_id_does_not_verify()
    {
        var old = await _hasher.HashAsync("24681357", CancellationToken.None);
        var other = TestHashing.Hasher(TestHashing.Options(pepper: TestHashing.NewPepper()));
        var relabelled = old.Replace($"$k={_hasher.CurrentKeyId}$", $"$k={other.CurrentKeyId}$", StringComparison.Ordinal);

        Assert.That(await other.VerifyAsync("24681357", relabelled, CancellationToken.None), Is.False);
    }

    [TestCase("")]
    [TestCase("24681357")]
    [TestCase("$2b$12$abcdefghijklmnopqrstuv")]
    [TestCase("$ivr-pbkdf2-sha256$v=2$k=000000000000$i=1000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("$ivr-pbkdf2-sha256$v=1$k=000000000000$i=-5$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("$ivr-pbkdf2-sha256$v=1$k=000000000000$i=1000$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_stored_string_that_is_not_a_hash_of_ours_is_a_failure_not_a_wrong_password(string stored)
    {
        Assert.ThrowsAsync<UnverifiableHashException>(() => _hasher.VerifyAsync("24681357", stored, CancellationToken.None));
    }

    [Test]
    public void A_cancelled_caller_does_not_wait_for_a_hash()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.CatchAsync<OperationCanceledException>(() => _hasher.HashAsync("24681357", cancelled.Token));
    }

    [Test]
    public async Task A_hash_that_finds_no_free_slot_in_time_gives_up_and_hashes_nothing()
    {
        var options = TestHashing.Options(iterations: 5_000_000); // over a second of one core: far longer than the wait below
        options.MaxConcurrentHashes = 1;
        var hasher = TestHashing.Hasher(options);
        var busy = hasher.HashAsync("11111111", CancellationToken.None); // holds the only slot for a while

        var refused = await hasher.TryHashAsync("24681357", TimeSpan.FromMilliseconds(10), CancellationToken.None);

        Assert.That(refused, Is.Null);
        Assert.That(await hasher.VerifyAsync("11111111", await busy, CancellationToken.None), Is.True, "the slot's holder still finishes");
    }
}
