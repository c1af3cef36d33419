using System.Net;
using Ivr.Domain;

namespace Ivr.Web.Tests;

/// <summary>Every login rule of SPEC §4 through the website's pages, over HTTP, against the real store and a fake clock.</summary>
[NonParallelizable]
public class LoginRulesTests
{
    private const string Main = "0612345678";
    private const string Temporary = "24681357";
    private const string Chosen = "abc12345";

    private Website _website = null!;
    private HttpClient _client = null!;

    [SetUp]
    public async Task Start()
    {
        _website = await Website.StartAsync();
        _client = _website.NewClient();
        await _website.SetTemporaryPasswordAsync(Main, SettingUnit.Line, Main, Temporary);
    }

    [TearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _website.DisposeAsync();
    }

    private async Task<string> BodyAfterLoginAsync(string phone, string password) =>
        await (await Website.LogInAsync(_client, phone, password)).Content.ReadAsStringAsync();

    [Test]
    public async Task A_temporary_password_forces_the_change_and_then_the_new_password_logs_in_and_the_old_one_no_longer_does()
    {
        var login = await Website.LogInAsync(_client, Main, Temporary);
        Assert.That(PathOf(login), Is.EqualTo("/ChangePassword"));
        var top = await _client.GetAsync("/");
        Assert.That(PathOf(top), Is.EqualTo("/ChangePassword"), "nothing else is reachable before the change");

        var changed = await Website.ChangeAsync(_client, Temporary, Chosen);
        Assert.That(changed.Headers.Location?.ToString(), Is.EqualTo("/"));
        Assert.That(await _client.GetStringAsync("/"), Does.Contain("パスワードを変更しました。").And.Contain($"{Main} でログインしています"));

        using var fresh = _website.NewClient();
        Assert.That((await Website.LogInAsync(fresh, Main, Chosen)).Headers.Location?.ToString(), Is.EqualTo("/"));
        using var other = _website.NewClient();
        var old = await Website.LogInAsync(other, Main, Temporary);
        Assert.That(await old.Content.ReadAsStringAsync(), Does.Contain("電話番号またはパスワードが正しくありません。"));
    }

    [Test]
    public async Task An_unknown_number_and_a_wrong_password_get_the_same_answer()
    {
        var unknown = await BodyAfterLoginAsync("0300000000", Temporary);
        var wrong = await BodyAfterLoginAsync(Main, "99999999");

        Assert.That(Message(unknown), Is.EqualTo(Message(wrong)).And.EqualTo("電話番号またはパスワードが正しくありません。"));
    }

    [Test]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        var response = await _client.PostAsync("/Login", new FormUrlEncodedContent([new("Phone", Main), new("Password", Temporary)]));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_temporary_password_is_valid_for_24_hours()
    {
        _website.Clock.Advance(TimeSpan.FromHours(24));

        Assert.That(Message(await BodyAfterLoginAsync(Main, Temporary)), Does.Contain("仮パスワードの有効期限が切れたか").And.Contain("0120-123-456"));
    }

    [Test]
    public async Task Three_wrong_attempts_invalidate_the_temporary_password()
    {
        for (var i = 0; i < 3; i++)
        {
            await BodyAfterLoginAsync(Main, "11111111");
        }

        Assert.That(Message(await BodyAfterLoginAsync(Main, Temporary)), Does.Contain("仮パスワードの有効期限が切れたか"));
    }

    [Test]
    public async Task Ten_wrong_attempts_lock_the_password_and_a_new_temporary_password_unlocks()
    {
        await ChooseAsync();
        for (var i = 0; i < 10; i++)
        {
            await BodyAfterLoginAsync(Main, "wrong1234");
        }
        Assert.That(Message(await BodyAfterLoginAsync(Main, Chosen)), Does.Contain("ロックされています"));

        await _website.SetTemporaryPasswordAsync(Main, SettingUnit.Line, Main, "13572468");

        Assert.That((await Website.LogInAsync(_client, Main, "13572468")).Headers.Location?.ToString(), Is.EqualTo("/ChangePassword"));
    }

    [Test]
    public async Task Closing_the_browser_does_not_reset_the_count_of_wrong_attempts()
    {
        for (var i = 0; i < 3; i++)
        {
            using var browser = _website.NewClient();
            await Website.LogInAsync(browser, Main, "11111111");
        }

        Assert.That(Message(await BodyAfterLoginAsync(Main, Temporary)), Does.Contain("仮パスワードの有効期限が切れたか"));
    }

    [Test]
    public async Task A_successful_login_resets_the_count_of_wrong_attempts()
    {
        await ChooseAsync();
        for (var i = 0; i < 9; i++)
        {
            await BodyAfterLoginAsync(Main, "wrong1234");
        }
        Assert.That((await Website.LogInAsync(_website.NewClient(), Main, Chosen)).Headers.Location?.ToString(), Is.EqualTo("/"));
        for (var i = 0; i < 9; i++)
        {
            await BodyAfterLoginAsync(Main, "wrong1234");
        }

        Assert.That((await Website.LogInAsync(_website.NewClient(), Main, Chosen)).Headers.Location?.ToString(), Is.EqualTo("/"));
    }

    [Test]
    public async Task A_password_older_than_60_days_must_be_changed_at_login()
    {
        await ChooseAsync();
        _website.Clock.Advance(TimeSpan.FromDays(60));
        using var client = _website.NewClient();

        var login = await Website.LogInAsync(client, Main, Chosen);

        Assert.That(login.Headers.Location?.ToString(), Does.StartWith("/ChangePassword"));
        Assert.That(await client.GetStringAsync(login.Headers.Location!.OriginalString), Does.Contain("有効期限（60日）が切れました"));
    }

    [TestCase("abc1234", "8〜12文字")]
    [TestCase("abcdefgh12345", "8〜12文字")]
    [TestCase("12345678", "数字だけのパスワードは使えません")]
    [TestCase("abcd-1234", "半角英字と数字だけ")]
    [TestCase(Temporary, "数字だけのパスワードは使えません")]
    public async Task A_new_password_must_be_8_to_12_letters_and_digits_not_digits_only(string next, string message)
    {
        await Website.LogInAsync(_client, Main, Temporary);

        var response = await Website.ChangeAsync(_client, Temporary, next);

        Assert.That(Message(await response.Content.ReadAsStringAsync()), Does.Contain(message));
    }

    [Test]
    public async Task The_new_password_cannot_be_the_current_one()
    {
        await ChooseAsync();
        await Website.LogInAsync(_client, Main, Chosen);

        var response = await Website.ChangeAsync(_client, Chosen, Chosen);

        Assert.That(Message(await response.Content.ReadAsStringAsync()), Does.Contain("現在のパスワードと同じ"));
    }

    [Test]
    public async Task An_idle_subscriber_is_signed_out()
    {
        await ChooseAsync();
        Assert.That((await _client.GetAsync("/")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        _website.Clock.Advance(TimeSpan.FromMinutes(16));

        Assert.That(PathOf(await _client.GetAsync("/")), Is.EqualTo("/Login"));
    }

    [Test]
    public async Task Pages_carry_security_headers_and_a_strict_http_only_cookie()
    {
        var login = await Website.LogInAsync(_client, Main, Temporary);
        var page = await _client.GetAsync("/Login");

        Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'self'").And.Contain("frame-ancestors 'none'"));
        Assert.That(page.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ivr-session=", StringComparison.Ordinal));
        Assert.That(cookie, Does.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase);
    }

    [Test]
    public async Task Every_attempt_is_audited_and_no_password_reaches_a_log_or_the_audit()
    {
        await BodyAfterLoginAsync(Main, "11111111");
        await Website.LogInAsync(_client, Main, Temporary);
        await Website.ChangeAsync(_client, Temporary, Chosen);

        var audit = await _website.LoginAuditAsync();
        Assert.That(audit, Has.Count.EqualTo(3));
        foreach (var secret in new[] { "11111111", Temporary, Chosen })
        {
            Assert.That(audit, Has.None.Contains(secret));
            Assert.That(_website.Logs, Has.None.Contains(secret));
        }
    }

    private async Task ChooseAsync()
    {
        await Website.LogInAsync(_client, Main, Temporary);
        var changed = await Website.ChangeAsync(_client, Temporary, Chosen);
        Assert.That(changed.Headers.Location?.ToString(), Is.EqualTo("/"));
    }

    private static string? PathOf(HttpResponseMessage response) => response.Headers.Location switch
    {
        null => null,
        { IsAbsoluteUri: true } location => location.AbsolutePath,
        var location => location.OriginalString.Split('?')[0],
    };

    private static string Message(string page)
    {
        var start = page.IndexOf("role=\"alert\">", StringComparison.Ordinal);
        return start < 0 ? "" : page[(start + "role=\"alert\">".Length)..page.IndexOf("</p>", start, StringComparison.Ordinal)];
    }
}
