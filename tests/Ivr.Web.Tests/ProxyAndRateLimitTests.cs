using System.Net;
using Ivr.Domain;

namespace Ivr.Web.Tests;

/// <summary>Login attempts limited per client address, and the website behind a TLS-terminating proxy on its host.</summary>
[NonParallelizable]
public class ProxyAndRateLimitTests
{
    private const string Main = "0612345678";
    private const string Temporary = "24681357";

    private Website _website = null!;

    [SetUp]
    public async Task Start()
    {
        _website = await Website.StartAsync(new WebsiteOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), LoginAttemptsPerMinute = 3 });
        await _website.SetTemporaryPasswordAsync(Main, SettingUnit.Line, Main, Temporary);
    }

    [TearDown]
    public async Task Stop() => await _website.DisposeAsync();

    [Test]
    public async Task Login_attempts_beyond_the_limit_from_one_address_are_refused_while_another_address_is_served()
    {
        using var client = _website.NewClient();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await Website.LogInAsync(client, Main, "11111111")).StatusCode);
        }
        Assert.That(answers, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.That((await client.GetAsync("/Login")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "showing the page is not an attempt");
        Assert.That((await _website.Login.ShowAsync(Main, CancellationToken.None))!.FailedAttempts, Is.EqualTo(3), "the refused attempt checked nothing");

        using var elsewhere = _website.NewClient();
        elsewhere.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        Assert.That((await Website.LogInAsync(elsewhere, Main, "11111111")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Behind_an_https_proxy_the_cookies_are_secure_and_the_browsers_address_is_audited()
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = _website.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");

        var page = await client.GetAsync("/Login");
        var antiforgery = CookieNamed(page, "ivr-antiforgery");
        var token = Website.AntiforgeryTokenOf(await page.Content.ReadAsStringAsync());
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Login")
        {
            Content = new FormUrlEncodedContent([new("Phone", Main), new("Password", Temporary), new("__RequestVerificationToken", token)]),
        };
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        var login = await client.SendAsync(post);

        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(antiforgery, Does.Contain("; secure").IgnoreCase);
        Assert.That(CookieNamed(login, "ivr-session"), Does.Contain("; secure").IgnoreCase);
        var audit = await _website.LoginAuditAsync();
        Assert.That(audit, Has.Some.Contains("203.0.113.9"));
    }

    private static string CookieNamed(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Single(cookie => cookie.StartsWith(name + "=", StringComparison.Ordinal));
}
