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
        _website = await Website.StartAsync(Website.DefaultOptions with { LoginAttemptsPerMinute = 3 });
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

    [Test]
    public async Task Through_a_trusted_proxy_attempts_are_limited_and_audited_by_the_browsers_address_and_from_elsewhere_the_forwarded_header_is_ignored()
    {
        var proxy = IPAddress.Parse("127.0.0.2");
        await using var website = await _website.StartAnotherInstanceAsync(
            Website.DefaultOptions with { LoginAttemptsPerMinute = 3, TrustedProxies = proxy.ToString(), KeyRingKey = null });

        // Two browsers behind the proxy: each its own bucket, each audited by its own address.
        using var first = Behind(website.NewClient(from: proxy), "203.0.113.9");
        using var second = Behind(website.NewClient(from: proxy), "203.0.113.10");
        Assert.That(await AttemptsAsync(first, 4), Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.That(await AttemptsAsync(second, 1), Is.EqualTo(new[] { HttpStatusCode.OK }), "another browser behind the same proxy is served");

        // Not a trusted proxy: whatever it forwards, it is one client, limited and audited as itself.
        var untrusted = IPAddress.Parse("127.0.0.3");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var client = Behind(website.NewClient(from: untrusted), $"198.51.100.{i + 1}");
            answers.AddRange(await AttemptsAsync(client, 1));
        }
        Assert.That(answers, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));

        var addresses = (await _website.LoginAuditAsync()).Select(line => line.Split(' ')[1]).ToList();
        Assert.That(addresses, Is.EqualTo(new[] { "203.0.113.9", "203.0.113.9", "203.0.113.9", "203.0.113.10", "127.0.0.3", "127.0.0.3", "127.0.0.3" }));
    }

    [Test]
    public async Task Beyond_the_limit_the_answer_is_a_japanese_page_with_retry_after()
    {
        using var client = _website.NewClient();
        HttpResponseMessage refused = null!;
        for (var i = 0; i < 4; i++)
        {
            refused = await Website.LogInAsync(client, Main, "11111111");
        }

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(refused.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(1, 60), "seconds until the minute's window ends");
        Assert.That(refused.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/html; charset=utf-8"));
        var page = await refused.Content.ReadAsStringAsync();
        Assert.That(page, Does.Contain("<html lang=\"ja\">").And.Contain($"{refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds}秒ほど待ってから、もう一度お試しください。"));
        Assert.That(refused.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'self'"), "the security headers too");
    }

    [Test]
    public async Task Over_https_only_every_cookie_is_a_secure_host_cookie_and_the_browser_is_told_to_keep_to_https()
    {
        await using var website = await _website.StartAnotherInstanceAsync(Website.DefaultOptions with { HttpsOnly = true, KeyRingKey = null });
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = website.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var cookies = new Dictionary<string, string>();
        async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, params (string Name, string Value)[] form)
        {
            using var request = new HttpRequestMessage(method, path);
            if (form.Length > 0)
            {
                request.Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
            }
            if (cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
            }
            var response = await client.SendAsync(request);
            foreach (var set in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                Assert.That(set, Does.StartWith("__Host-").And.Contain("; secure").IgnoreCase.And.Contain("; path=/;").IgnoreCase
                    .And.Contain("samesite=strict").IgnoreCase.And.Contain("httponly").IgnoreCase.And.Not.Contain("domain=").IgnoreCase, set);
                var pair = set.Split(';')[0].Split('=', 2);
                cookies[pair[0]] = pair[1];
            }
            return response;
        }

        var page = await SendAsync(HttpMethod.Get, "/Login");
        var token = Website.AntiforgeryTokenOf(await page.Content.ReadAsStringAsync());
        await SendAsync(HttpMethod.Post, "/Login", ("Phone", Main), ("Password", Temporary), ("__RequestVerificationToken", token));
        var form = await SendAsync(HttpMethod.Get, "/ChangePassword");
        var changed = await SendAsync(HttpMethod.Post, "/ChangePassword", ("Current", Temporary), ("NewPassword", "abc12345"), ("Confirmation", "abc12345"),
            ("__RequestVerificationToken", Website.AntiforgeryTokenOf(await form.Content.ReadAsStringAsync())));
        var top = await SendAsync(HttpMethod.Get, "/");

        Assert.That(changed.Headers.Location?.ToString(), Is.EqualTo("/"));
        Assert.That(await top.Content.ReadAsStringAsync(), Does.Contain("パスワードを変更しました。"), "the notice travelled in the strict notice cookie");
        Assert.That(cookies.Keys, Is.SupersetOf(new[] { "__Host-ivr-session", "__Host-ivr-antiforgery", "__Host-ivr-notice" }));
        Assert.That(page.Headers.GetValues("Strict-Transport-Security").Single(), Is.EqualTo("max-age=31536000"));
    }

    private static HttpClient Behind(HttpClient client, string browser)
    {
        client.DefaultRequestHeaders.Add("X-Forwarded-For", browser);
        return client;
    }

    private static async Task<List<HttpStatusCode>> AttemptsAsync(HttpClient client, int count)
    {
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            answers.Add((await Website.LogInAsync(client, Main, "11111111")).StatusCode);
        }
        return answers;
    }

    private static string CookieNamed(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Single(cookie => cookie.StartsWith(name + "=", StringComparison.Ordinal));
}
