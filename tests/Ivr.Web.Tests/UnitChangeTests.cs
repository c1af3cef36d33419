using Ivr.Domain;

namespace Ivr.Web.Tests;

/// <summary>The authentication-unit change: line ↔ number ↔ admin/user, and the login id that follows.</summary>
[NonParallelizable]
public class UnitChangeTests
{
    private const string Main = "0612345678";
    private const string Additional = "0612345679";

    private Website _website = null!;

    [SetUp]
    public async Task Start() => _website = await Website.StartAsync();

    [TearDown]
    public async Task Stop() => await _website.DisposeAsync();

    /// <summary>A number-unit credential with a chosen password, as a subscriber would have it.</summary>
    private async Task<HttpClient> ChosenAsync(string number, SettingUnit unit, string password)
    {
        await _website.SetTemporaryPasswordAsync(Main, unit, number, "24681357");
        var client = _website.NewClient();
        await Website.LogInAsync(client, number, "24681357");
        Assert.That((await Website.ChangeAsync(client, "24681357", password)).Headers.Location?.ToString(), Is.EqualTo("/"));
        return client;
    }

    [Test]
    public async Task Moving_to_the_line_unit_merges_the_numbers_under_the_main_number_with_the_password_used_at_this_login()
    {
        await ChosenAsync(Main, SettingUnit.Number, "mainpass1");
        var client = await ChosenAsync(Additional, SettingUnit.Number, "addpass22");

        var response = await Website.PostFormAsync(client, "/Unit", ("Unit", "line"), ("Password", "addpass22"), ($"Merged[{Main}]", "mainpass1"));

        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/"));
        Assert.That(await client.GetStringAsync("/"), Does.Contain($"ログインIDは {Main} です"));
        var state = await _website.Login.ShowAsync(Main, CancellationToken.None);
        Assert.That(state!.Unit, Is.EqualTo(SettingUnit.Line));
        Assert.That(await _website.Login.ShowAsync(Additional, CancellationToken.None), Is.Null, "the additional number's login is merged away");
        using var fresh = _website.NewClient();
        Assert.That((await Website.LogInAsync(fresh, Main, "addpass22")).Headers.Location?.ToString(), Is.EqualTo("/"), "the password used at this login");
    }

    [Test]
    public async Task A_merged_number_must_be_proved_by_its_own_password()
    {
        await ChosenAsync(Main, SettingUnit.Number, "mainpass1");
        var client = await ChosenAsync(Additional, SettingUnit.Number, "addpass22");

        var response = await Website.PostFormAsync(client, "/Unit", ("Unit", "line"), ("Password", "addpass22"), ($"Merged[{Main}]", "guessed99"));

        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain($"{Main} のパスワードが正しくないか"));
        Assert.That((await _website.Login.ShowAsync(Additional, CancellationToken.None))!.Unit, Is.EqualTo(SettingUnit.Number), "nothing changed");
    }

    [TestCase("number", SettingUnit.Number)]
    [TestCase("admin-user", SettingUnit.AdminUser)]
    public async Task Leaving_the_line_unit_keeps_the_main_number_as_the_login(string unit, SettingUnit expected)
    {
        var client = await ChosenAsync(Main, SettingUnit.Line, "mainpass1");

        var response = await Website.PostFormAsync(client, "/Unit", ("Unit", unit), ("Password", "mainpass1"));

        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/"));
        Assert.That((await _website.Login.ShowAsync(Main, CancellationToken.None))!.Unit, Is.EqualTo(expected));
        using var fresh = _website.NewClient();
        Assert.That((await Website.LogInAsync(fresh, Main, "mainpass1")).Headers.Location?.ToString(), Is.EqualTo("/"));
    }

    [Test]
    public async Task A_wrong_current_password_changes_nothing()
    {
        var client = await ChosenAsync(Main, SettingUnit.Line, "mainpass1");

        var response = await Website.PostFormAsync(client, "/Unit", ("Unit", "number"), ("Password", "nottheone1"));

        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("現在のパスワードが正しくありません"));
        Assert.That((await _website.Login.ShowAsync(Main, CancellationToken.None))!.Unit, Is.EqualTo(SettingUnit.Line));
    }
}
