using System.Text.Json;
using Dapper;
using Ivr.Domain;
using Ivr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ivr.Store.Tests.Login;

public sealed class WebsiteLoginTests
{
    private const string Login = "0612345678";
    private const string Temporary = "24681357"; // not a substring of any number, so a leak would show
    private const string Chosen = "abcd1234";
    private static readonly CallerLine C001Main = new(Login, "C001", Login);

    private TestStore _store = null!;

    [SetUp]
    public async Task CreateStoreWithTemporaryPassword()
    {
        _store = await TestStore.CreateAsync();
        await _store.LoadDirectoryAsync();
        await SetTemporaryPasswordAsync(Temporary);
    }

    [TearDown]
    public async Task DropStore() => await _store.DisposeAsync();

    [Test]
    public async Task A_temporary_password_logs_in_until_24_hours_have_passed()
    {
        _store.Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.That(await VerifyAsync(Temporary), Is.EqualTo(LoginResult.TemporaryOk));

        _store.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await VerifyAsync(Temporary), Is.EqualTo(LoginResult.Expired));
    }

    [Test]
    public async Task An_expired_temporary_password_answers_expired_whatever_is_typed_and_counts_nothing()
    {
        _store.Clock.Advance(TimeSpan.FromDays(2));

        Assert.That(await VerifyAsync("00000000"), Is.EqualTo(LoginResult.Expired));
        Assert.That((await StateAsync()).FailedAttempts, Is.Zero);
    }

    [Test]
    public async Task The_third_consecutive_wrong_attempt_invalidates_the_temporary_password()
    {
        var results = new[] { await VerifyAsync("00000001"), await VerifyAsync("00000002"), await VerifyAsync("00000003") };

        Assert.That(results, Is.EqualTo(new[] { LoginResult.Wrong, LoginResult.Wrong, LoginResult.Expired }));
        Assert.That(await VerifyAsync(Temporary), Is.EqualTo(LoginResult.Expired));
        var state = await StateAsync();
        Assert.That((state.TemporaryPasswordValid, state.TemporaryPasswordInvalidatedAt, state.FailedAttempts),
            Is.EqualTo((false, (DateTimeOffset?)_store.Clock.GetUtcNow(), 3)));
    }

    [Test]
    public async Task A_successful_login_resets_the_count_so_only_consecutive_wrong_attempts_count()
    {
        await VerifyAsync("00000001");
        await VerifyAsync("00000002");
        Assert.That(await VerifyAsync(Temporary), Is.EqualTo(LoginResult.TemporaryOk));
        Assert.That((await StateAsync()).FailedAttempts, Is.Zero);

        await VerifyAsync("00000003");
        await VerifyAsync("00000004");
        Assert.That(await VerifyAsync(Temporary), Is.EqualTo(LoginResult.TemporaryOk));
    }

    [Test]
    public async Task A_new_temporary_password_by_phone_replaces_an_invalidated_one()
    {
        for (var i = 0; i < LoginRules.TemporaryPasswordWrongAttemptLimit; i++)
        {
            await VerifyAsync("00000000");
        }

        await SetTemporaryPasswordAsync("87654321");

        Assert.That(await VerifyAsync("87654321"), Is.EqualTo(LoginResult.TemporaryOk));
        Assert.That(await VerifyAsync(Temporary), Is.EqualTo(LoginResult.Wrong));
    }

    [Test]
    public async Task Choosing_a_password_replaces_the_temporary_one()
    {
        var result = await _store.Login.ChangePasswordAsync(Login, Temporary, Chosen, null, CancellationToken.None);

        Assert.That(result, Is.EqualTo(PasswordChangeResult.Changed));
        Assert.That(await VerifyAsync(Chosen), Is.EqualTo(LoginResult.Ok));
        Assert.That(await VerifyAsync(Temporary), Is.EqualTo(LoginResult.Wrong));
        var state = await StateAsync();
        Assert.That((state.TemporaryPasswordPresent, state.PasswordPresent, state.PasswordChangedAt),
            Is.EqualTo((false, true, (DateTimeOffset?)_store.Clock.GetUtcNow())));
    }

    [Test]
    public async Task The_tenth_consecutive_wrong_attempt_locks_the_password_whatever_is_typed_after()
    {
        await ChoosePasswordAsync();
        var results = new List<LoginResult>();
        for (var i = 0; i < LoginRules.PasswordWrongAttemptLimit; i++)
        {
            results.Add(await VerifyAsync("wrongpass1"));
        }

        Assert.That(results.Take(9), Is.All.EqualTo(LoginResult.Wrong));
        Assert.That(results[9], Is.EqualTo(LoginResult.Locked));
        Assert.That(await VerifyAsync(Chosen), Is.EqualTo(LoginResult.Locked));
        Assert.That(await _store.Login.ChangePasswordAsync(Login, Chosen, "efgh5678", null, CancellationToken.None), Is.EqualTo(PasswordChangeResult.Locked));
        Assert.That((await StateAsync()).FailedAttempts, Is.EqualTo(10), "attempts on a locked password are not counted");
    }

    [Test]
    public async Task A_new_temporary_password_by_phone_unlocks()
    {
        await ChoosePasswordAsync();
        for (var i = 0; i < LoginRules.PasswordWrongAttemptLimit; i++)
        {
            await VerifyAsync("wrongpass1");
        }

        await SetTemporaryPasswordAsync("87654321");

        Assert.That(await VerifyAsync("87654321"), Is.EqualTo(LoginResult.TemporaryOk));
    }

    [Test]
    public async Task Nine_wrong_attempts_a_success_and_nine_more_do_not_lock()
    {
        await ChoosePasswordAsync();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < LoginRules.PasswordWrongAttemptLimit - 1; i++)
            {
                Assert.That(await VerifyAsync("wrongpass1"), Is.EqualTo(LoginResult.Wrong));
            }
            Assert.That(await VerifyAsync(Chosen), Is.EqualTo(LoginResult.Ok));
        }
    }

    [Test]
    public async Task A_password_expires_after_60_days_and_may_then_be_changed()
    {
        await ChoosePasswordAsync();
        _store.Clock.Advance(TimeSpan.FromDays(60) - TimeSpan.FromSeconds(1));
        Assert.That(await VerifyAsync(Chosen), Is.EqualTo(LoginResult.Ok));

        _store.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await VerifyAsync(Chosen), Is.EqualTo(LoginResult.Expired));
        Assert.That(await VerifyAsync("wrongpass1"), Is.EqualTo(LoginResult.Wrong));
        Assert.That(await _store.Login.ChangePasswordAsync(Login, Chosen, "efgh5678", null, CancellationToken.None), Is.EqualTo(PasswordChangeResult.Changed));
        Assert.That(await VerifyAsync("efgh5678"), Is.EqualTo(LoginResult.Ok));
    }

    [TestCase("abc1234", PasswordChangeResult.WrongLength)]
    [TestCase("abcdefgh12345", PasswordChangeResult.WrongLength)]
    [TestCase("abcd-1234", PasswordChangeResult.NotLettersAndDigits)]
    [TestCase("abcd 1234", PasswordChangeResult.NotLettersAndDigits)]
    [TestCase("ａｂｃｄ1234", PasswordChangeResult.NotLettersAndDigits)]
    [TestCase("87654321", PasswordChangeResult.DigitsOnly)]
    [TestCase(Temporary, PasswordChangeResult.DigitsOnly)]
    [TestCase("abcdefgh", PasswordChangeResult.Changed)]
    [TestCase("ABCdef123456", PasswordChangeResult.Changed)]
    public async Task A_new_password_is_8_to_12_ascii_letters_and_digits_not_digits_only(string newPassword, PasswordChangeResult expected)
    {
        Assert.That(await _store.Login.ChangePasswordAsync(Login, Temporary, newPassword, null, CancellationToken.None), Is.EqualTo(expected));
    }

    [Test]
    public async Task A_new_password_may_not_be_the_current_one()
    {
        await ChoosePasswordAsync();

        Assert.That(await _store.Login.ChangePasswordAsync(Login, Chosen, Chosen, null, CancellationToken.None), Is.EqualTo(PasswordChangeResult.SameAsCurrent));
        Assert.That(await VerifyAsync(Chosen), Is.EqualTo(LoginResult.Ok));
    }

    [Test]
    public async Task A_change_with_a_wrong_current_password_is_counted_like_a_wrong_login()
    {
        var result = await _store.Login.ChangePasswordAsync(Login, "00000000", Chosen, null, CancellationToken.None);

        Assert.That(result, Is.EqualTo(PasswordChangeResult.Wrong));
        Assert.That((await StateAsync()).FailedAttempts, Is.EqualTo(1));
    }

    [Test]
    public async Task A_change_from_an_expired_temporary_password_is_refused()
    {
        _store.Clock.Advance(TimeSpan.FromHours(25));

        Assert.That(await _store.Login.ChangePasswordAsync(Login, Temporary, Chosen, null, CancellationToken.None),
            Is.EqualTo(PasswordChangeResult.TemporaryPasswordExpired));
    }

    [TestCase("0698765432", TestName = "A number without a credential is unknown")]
    [TestCase("abcd1234", TestName = "A login that is not a phone number is unknown")]
    public async Task Unknown_logins_answer_unknown(string login)
    {
        Assert.That(await VerifyAsync(Temporary, login), Is.EqualTo(LoginResult.Unknown));
        Assert.That(await _store.Login.ChangePasswordAsync(login, Temporary, Chosen, null, CancellationToken.None), Is.EqualTo(PasswordChangeResult.Unknown));
    }

    [Test]
    public async Task Racing_wrong_attempts_are_all_counted()
    {
        await ChoosePasswordAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, LoginRules.PasswordWrongAttemptLimit)
            .Select(_ => _store.Login.VerifyAsync(Login, "wrongpass1", null, CancellationToken.None)));

        Assert.That(results.Count(result => result == LoginResult.Wrong), Is.EqualTo(9));
        Assert.That(results.Count(result => result == LoginResult.Locked), Is.EqualTo(1));
        var state = await StateAsync();
        Assert.That((state.FailedAttempts, state.Locked), Is.EqualTo((10, true)));
    }

    [Test]
    public async Task A_plain_successful_login_writes_nothing_to_the_credential()
    {
        var before = await StateAsync();
        _store.Clock.Advance(TimeSpan.FromMinutes(1));

        await VerifyAsync(Temporary);

        Assert.That(await StateAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Every_checked_attempt_is_audited_without_the_password()
    {
        await _store.Login.VerifyAsync(Login, "00000001", "192.0.2.10", CancellationToken.None);
        await _store.Login.VerifyAsync(Login, Temporary, "192.0.2.10", CancellationToken.None);
        await _store.Login.ChangePasswordAsync(Login, Temporary, Chosen, "2001:db8::1", CancellationToken.None);
        await _store.Login.VerifyAsync("abcd1234", Chosen, "cli", CancellationToken.None); // a password typed as the login

        var rows = await _store.LoginAudit.TailAsync(10, null, CancellationToken.None);

        Assert.That(rows.Select(row => (row.Login, row.ClientAddress, row.Action, row.Result)), Is.EqualTo(new (string?, string?, string, string)[]
        {
            (Login, "192.0.2.10", "login", "wrong"),
            (Login, "192.0.2.10", "login", "temporary-ok"),
            (Login, "2001:db8::1", "change-password", "changed"),
            (null, "cli", "login", "unknown"),
        }));
        var printed = JsonSerializer.Serialize(rows);
        Assert.That(printed, Does.Not.Contain("00000001").And.Not.Contain(Temporary).And.Not.Contain(Chosen));
        Assert.That(await _store.LoginAudit.TailAsync(1, Login, CancellationToken.None), Has.Count.EqualTo(1).And.One.Property("Result").EqualTo("changed"));
    }

    [Test]
    public async Task A_temporary_password_set_before_a_pepper_rotation_still_logs_in()
    {
        var rotated = Rotated().GetRequiredService<WebsiteLogin>();

        Assert.That(await rotated.VerifyAsync(Login, Temporary, null, CancellationToken.None), Is.EqualTo(LoginResult.TemporaryOk));
    }

    [Test]
    public async Task A_password_from_before_a_pepper_rotation_logs_in_and_is_rehashed_with_the_new_pepper()
    {
        await ChoosePasswordAsync();
        var services = Rotated();
        var hasher = services.GetRequiredService<PasswordHasher>();
        var rotated = services.GetRequiredService<WebsiteLogin>();

        Assert.That(await rotated.VerifyAsync(Login, Chosen, null, CancellationToken.None), Is.EqualTo(LoginResult.Ok));

        await using var connection = await _store.Database.DataSource.OpenConnectionAsync();
        var stored = await connection.QuerySingleAsync<string>("SELECT password_hash FROM credentials WHERE login_id = @Login", new { Login });
        Assert.That(stored, Does.Contain($"$k={hasher.CurrentKeyId}$").And.Not.Contain($"$k={_store.Hasher.CurrentKeyId}$"));
        Assert.That(await rotated.VerifyAsync(Login, Chosen, null, CancellationToken.None), Is.EqualTo(LoginResult.Ok));
    }

    [Test]
    public async Task The_state_shown_holds_no_secret_and_reads_in_the_spec_words()
    {
        var json = JsonSerializer.Serialize(await StateAsync(), new JsonSerializerOptions(JsonSerializerDefaults.Web));

        using var document = JsonDocument.Parse(json);
        Assert.That(document.RootElement.GetProperty("unit").GetString(), Is.EqualTo("line"));
        Assert.That(document.RootElement.GetProperty("temporaryPasswordValid").GetBoolean(), Is.True);
        Assert.That(json, Does.Not.Contain("$ivr").And.Not.Contain(Temporary));
    }

    // The operator's rotation: a program restarted with a new current pepper, the store's old one kept for verification only.
    private ServiceProvider Rotated()
    {
        var settings = TestHashing.Settings(pepper: TestHashing.NewPepper(), previousPeppers: [TestHashing.Pepper]);
        var rotated = TestServices.Store(TestServices.Configuration(_store.Database.ConnectionString, settings), _store.Clock);
        _disposables.Add(rotated);
        return rotated;
    }

    private readonly List<ServiceProvider> _disposables = [];

    [TearDown]
    public async Task DisposeRotated()
    {
        foreach (var provider in _disposables)
        {
            await provider.DisposeAsync();
        }
        _disposables.Clear();
    }

    private Task<LoginResult> VerifyAsync(string password, string login = Login) =>
        _store.Login.VerifyAsync(login, password, null, CancellationToken.None);

    private async Task<CredentialState> StateAsync() => (await _store.Login.ShowAsync(Login, CancellationToken.None))!;

    private async Task SetTemporaryPasswordAsync(string digits)
    {
        var result = await _store.Credentials.SetTemporaryPasswordAsync(TestRequests.TemporaryPassword(C001Main, SettingUnit.Line, Login, digits), CancellationToken.None);
        Assert.That(result, Is.EqualTo(CommitResult.Committed));
    }

    private async Task ChoosePasswordAsync() =>
        Assert.That(await _store.Login.ChangePasswordAsync(Login, Temporary, Chosen, null, CancellationToken.None), Is.EqualTo(PasswordChangeResult.Changed));
}
