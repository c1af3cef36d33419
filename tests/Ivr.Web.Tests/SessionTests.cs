using System.Net;
using Ivr.Domain;
using Ivr.Store;

namespace Ivr.Web.Tests;

/// <summary>
/// Sessions the server ends (issue 13, OWASP ASVS V3.3 and V3.5): each is bound to its credential's session stamp,
/// checked on every request, so a logout, a new temporary password, a password change, a unit change and a
/// revocation end it whatever the browser still holds.
/// </summary>
[NonParallelizable]
public class SessionTests
{
    private const string Main = "0612345678";
    private const string Additional = "0612345679";
    private const string Temporary = "24681357";
    private const string Chosen = "abc12345";

    private Website _website = null!;

    [SetUp]
    public async Task Start()
    {
        _website = await Website.StartAsync();
        await _website.SetTemporaryPasswordAsync(Main, SettingUnit.Line, Main, Temporary);
    }

    [TearDown]
    public async Task Stop() => await _website.DisposeAsync();

    [Test]
    public async Task After_logout_the_same_cookie_sent_again_opens_only_the_login_page()
    {
        using var browser = await ChosenAsync();
        var stolen = SessionCookie(browser);
        Assert.That(await TopAsync(stolen), Is.EqualTo("/"), "the copied cookie opens the top page while the session lives");

        var logout = await Website.LogOutAsync(browser);

        Assert.That(logout.Headers.Location?.ToString(), Is.EqualTo("/Login"));
        Assert.That(await TopAsync(stolen), Is.EqualTo("/Login"), "the old cookie after logout");
        Assert.That(await PathAsync(stolen, "/Unit"), Is.EqualTo("/Login"));
        Assert.That(await PathAsync(stolen, "/ChangePassword"), Is.EqualTo("/Login"));
    }

    [Test]
    public async Task A_new_temporary_password_by_phone_ends_an_open_session_and_the_forced_change_page()
    {
        using var top = await ChosenAsync();
        using var forced = _website.NewClient();
        await _website.SetTemporaryPasswordAsync(Main, SettingUnit.Number, Additional, Temporary);
        await Website.LogInAsync(forced, Additional, Temporary);
        Assert.That((await forced.GetAsync("/ChangePassword")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the forced change is open");

        await _website.SetTemporaryPasswordAsync(Main, SettingUnit.Line, Main, "13572468");
        await _website.SetTemporaryPasswordAsync(Main, SettingUnit.Number, Additional, "13572468");

        Assert.That(await TopAsync(top), Is.EqualTo("/Login"));
        Assert.That(await PathAsync(forced, "/ChangePassword"), Is.EqualTo("/Login"));
    }

    [Test]
    public async Task A_password_change_ends_the_logins_other_sessions_and_keeps_the_one_that_made_it()
    {
        using var here = await ChosenAsync();
        using var elsewhere = _website.NewClient();
        Assert.That((await Website.LogInAsync(elsewhere, Main, Chosen)).Headers.Location?.ToString(), Is.EqualTo("/"));

        var changed = await Website.ChangeAsync(here, Chosen, "def67890");

        Assert.That(changed.Headers.Location?.ToString(), Is.EqualTo("/"));
        Assert.That(await TopAsync(here), Is.EqualTo("/"), "the session that changed it goes on");
        Assert.That(await TopAsync(elsewhere), Is.EqualTo("/Login"), "every other session ended");
    }

    [Test]
    public async Task A_unit_change_ends_the_other_sessions_of_the_contract_and_keeps_the_one_that_made_it()
    {
        using var here = await ChosenAsync();
        using var elsewhere = _website.NewClient();
        await Website.LogInAsync(elsewhere, Main, Chosen);

        var changed = await Website.PostFormAsync(here, "/Unit", ("Unit", "number"), ("Password", Chosen));

        Assert.That(changed.Headers.Location?.ToString(), Is.EqualTo("/"));
        Assert.That(await TopAsync(here), Is.EqualTo("/"));
        Assert.That(await TopAsync(elsewhere), Is.EqualTo("/Login"));
    }

    [Test]
    public async Task A_number_moved_to_another_contract_by_the_directory_import_ends_its_sessions()
    {
        await _website.SetTemporaryPasswordAsync(Main, SettingUnit.Number, Additional, Temporary);
        using var browser = _website.NewClient();
        await Website.LogInAsync(browser, Additional, Temporary);
        await Website.ChangeAsync(browser, Temporary, Chosen);
        Assert.That(await TopAsync(browser), Is.EqualTo("/"));

        var import = await _website.Directory.ImportAsync(
            [new DirectoryRow("C002", "0698765432", NumberKind.Main, Subscribed: true, Active: true), new DirectoryRow("C002", Additional, NumberKind.Additional, Subscribed: true, Active: true)],
            CancellationToken.None);

        Assert.That(import.CredentialsRevoked, Is.EqualTo(1));
        Assert.That(await TopAsync(browser), Is.EqualTo("/Login"));
    }

    [Test]
    public async Task The_forced_change_session_ends_when_its_temporary_password_dies()
    {
        _website.Clock.Advance(TimeSpan.FromHours(23) + TimeSpan.FromMinutes(55));
        using var browser = _website.NewClient();
        await Website.LogInAsync(browser, Main, Temporary);
        Assert.That((await browser.GetAsync("/ChangePassword")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        _website.Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.That(await PathAsync(browser, "/ChangePassword"), Is.EqualTo("/Login"), "24 hours after it was set");
    }

    [Test]
    public async Task A_password_locked_by_wrong_attempts_elsewhere_ends_its_sessions()
    {
        using var browser = await ChosenAsync();
        using var attacker = _website.NewClient();
        for (var i = 0; i < LoginRules.PasswordWrongAttemptLimit; i++)
        {
            await Website.LogInAsync(attacker, Main, "wrong1234");
        }

        Assert.That(await TopAsync(browser), Is.EqualTo("/Login"));
    }

    [Test]
    public async Task A_busy_session_still_ends_once_its_lifetime_has_passed()
    {
        using var browser = await ChosenAsync();
        var lifetime = Website.DefaultOptions.SessionLifetime;
        var step = TimeSpan.FromMinutes(10);
        for (var busy = step; busy < lifetime; busy += step)
        {
            _website.Clock.Advance(step);
            Assert.That(await TopAsync(browser), Is.EqualTo("/"), $"busy for {busy}");
        }

        _website.Clock.Advance(step);

        Assert.That(await TopAsync(browser), Is.EqualTo("/Login"));
    }

    /// <summary>A browser logged in with a chosen password (the temporary one changed).</summary>
    private async Task<HttpClient> ChosenAsync()
    {
        var browser = _website.NewClient();
        await Website.LogInAsync(browser, Main, Temporary);
        Assert.That((await Website.ChangeAsync(browser, Temporary, Chosen)).Headers.Location?.ToString(), Is.EqualTo("/"));
        return browser;
    }

    // Another browser holding a copy of this one's session cookie, as a thief would.
    private HttpClient SessionCookie(HttpClient browser)
    {
        var cookies = new CookieContainer();
        cookies.Add(Website.CookiesOf(browser).GetAllCookies().Single(cookie => cookie.Name == "ivr-session"));
        return _website.NewClient(cookies);
    }

    private static Task<string?> TopAsync(HttpClient browser) => PathAsync(browser, "/");

    // Where a GET ends: the page itself, or the page it is sent to.
    private static async Task<string?> PathAsync(HttpClient browser, string page)
    {
        var response = await browser.GetAsync(page);
        return response.StatusCode == HttpStatusCode.OK ? page : response.Headers.Location switch
        {
            null => null,
            { IsAbsoluteUri: true } location => location.AbsolutePath,
            var location => location.OriginalString.Split('?')[0],
        };
    }
}
