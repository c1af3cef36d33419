using System.Net;
using Dapper;
using Ivr.Domain;

namespace Ivr.Web.Tests;

/// <summary>
/// Several website instances on one store, and restarts: the Data Protection key ring lives in the shared database,
/// encrypted with the key ring key, so a cookie or a form of one instance is good on every other, and after a restart.
/// </summary>
[NonParallelizable]
public class InstancesTests
{
    private const string Main = "0612345678";
    private const string Temporary = "24681357";

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
    public async Task A_login_on_one_instance_changes_the_password_on_another_with_the_first_ones_cookie_and_antiforgery_token()
    {
        await using var other = await _website.StartAnotherInstanceAsync();
        var browser = new CookieContainer(); // one browser: cookies are per host, whatever the port
        using var first = _website.NewClient(browser);
        using var second = other.NewClient(browser);
        Assert.That((await Website.LogInAsync(first, Main, Temporary)).Headers.Location?.ToString(), Is.EqualTo("/ChangePassword"));

        var changed = await Website.PostFormAsync(first, second, "/ChangePassword",
            ("Current", Temporary), ("NewPassword", "abc12345"), ("Confirmation", "abc12345"));

        Assert.That(changed.Headers.Location?.ToString(), Is.EqualTo("/"), "the second instance read the first one's cookie and token");
        Assert.That(await second.GetStringAsync("/"), Does.Contain($"{Main} でログインしています").And.Contain("パスワードを変更しました。"));
        Assert.That(await first.GetStringAsync("/"), Does.Contain($"{Main} でログインしています"), "and the first reads the second's");
    }

    [Test]
    public async Task A_restarted_instance_keeps_the_session_and_the_forms_it_served()
    {
        var browser = new CookieContainer();
        using var before = _website.NewClient(browser);
        await Website.LogInAsync(before, Main, Temporary);
        var form = await before.GetStringAsync("/ChangePassword");

        await _website.RestartAsync();

        using var after = _website.NewClient(browser);
        var changed = await after.PostAsync("/ChangePassword", new FormUrlEncodedContent([
            new("Current", Temporary), new("NewPassword", "abc12345"), new("Confirmation", "abc12345"),
            new("__RequestVerificationToken", Website.AntiforgeryTokenOf(form))]));
        Assert.That(changed.Headers.Location?.ToString(), Is.EqualTo("/"), "the form served before the restart is accepted after it");
        Assert.That((await after.GetAsync("/")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task The_key_ring_is_stored_once_with_every_secret_encrypted_by_the_key_ring_key()
    {
        await using var other = await _website.StartAnotherInstanceAsync();
        await using var connection = await _website.DataSource.OpenConnectionAsync();
        var keys = (await connection.QueryAsync<string>("SELECT xml FROM website_key_ring")).ToList();

        Assert.That(keys, Has.Count.EqualTo(1), "instances on one database share one key");
        Assert.That(keys[0], Does.Contain("<keyRingSecret keyId=").And.Not.Contain("masterKey"), "no key in the clear");
        var plain = Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync(
            "INSERT INTO website_key_ring (friendly_name, xml) VALUES ('key-x', '<key id=\"x\"><descriptor><masterKey>c2VjcmV0</masterKey></descriptor></key>')"));
        Assert.That(plain!.ConstraintName, Is.EqualTo("website_key_ring_secret_encrypted"));
    }

    [Test]
    public async Task Instances_starting_together_on_an_empty_key_ring_make_one_key()
    {
        await using (var connection = await _website.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("DELETE FROM website_key_ring");
        }

        var started = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _website.StartAnotherInstanceAsync())));

        await using var read = await _website.DataSource.OpenConnectionAsync();
        Assert.That(await read.ExecuteScalarAsync<long>("SELECT count(*) FROM website_key_ring"), Is.EqualTo(1));
        foreach (var instance in started)
        {
            await instance.DisposeAsync();
        }
    }

    [Test]
    public void An_instance_whose_key_ring_key_opens_none_of_the_stored_keys_refuses_to_start()
    {
        var wrong = Assert.ThrowsAsync<KeyRingKeyException>(() =>
            _website.StartAnotherInstanceAsync(Website.DefaultOptions with { KeyRingKey = KeyRingKey.NewBase64() }));

        Assert.That(wrong!.Message, Does.StartWith("IVR_WEB__KEY_RING_KEY (key ").And.Contain("opens none of the website's keys"));
    }
}
