using System.Net;
using Ivr.Lab;
using Ivr.Server;
using Ivr.Store;
using Ivr.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Ivr.Web.Tests;

/// <summary>
/// The subscriber's whole journey in a real browser (Debian's Chromium, driven by Playwright): a call over FastAGI
/// sets a temporary password, the login forces the change, the new password logs in, the old one no longer does.
/// Every page visited is saved as a screenshot; <c>IVR_UPDATE_SCREENSHOTS=1</c> also refreshes docs/images.
/// </summary>
[NonParallelizable]
public class JourneyBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Test]
    public async Task A_subscriber_sets_a_temporary_password_by_phone_then_chooses_a_password_in_the_browser()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var store = StoreServices.Compose(TestServices.Configuration(database.ConnectionString));
        await DirectoryFixture.LoadAsync(store.Directory);
        var configuration = TestServices.Configuration(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Listen"] = "127.0.0.1:0", ["OperationsListen"] = "off",
        });
        await using var agi = FastAgiHost.Build(configuration, logging => logging.SetMinimumLevel(LogLevel.Warning));
        await agi.StartAsync();
        var webConfiguration = TestServices.Configuration(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Web:Listen"] = "127.0.0.1:0", ["Web:KeyRingKey"] = KeyRingKey.NewBase64(), ["Web:OperationsListen"] = "off",
        });
        await using var website = IvrWebsite.Build(webConfiguration, logging => logging.SetMinimumLevel(LogLevel.Warning));
        await website.StartAsync();

        var call = await SimulatedAsterisk.CallAsync(EndPointOf(agi), new LabCallSetup(LabCallSetup.NewCallId(), "0612345678"),
            ["1", "24681357", "24681357"], CancellationToken.None);
        Assert.That(call.Heard[^1], Does.Contain("temp-password/completed"), "the call set the temporary password");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { Locale = "ja-JP", ViewportSize = new ViewportSize { Width = 900, Height = 640 } });
        var site = $"http://127.0.0.1:{Ivr.Hosting.IvrHosting.Addresses(website)[0].Port}";

        await page.GotoAsync($"{site}/Login");
        await ShotAsync(page, "login");
        await LogInAsync(page, "0612345678", "24681357");
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/ChangePassword"), "a temporary password forces the change");
        Assert.That(await page.TextContentAsync(".notice"), Does.Contain("仮パスワードでログインしました"));
        await ShotAsync(page, "change-password");

        await page.FillAsync("#current", "24681357");
        await page.FillAsync("#new", "hikari2026");
        await page.FillAsync("#confirm", "hikari2026");
        await page.ClickAsync("button[type=submit]");
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/"));
        await ShotAsync(page, "top");
        await page.ClickAsync("text=認証単位の変更");
        Assert.That(await page.TextContentAsync("main"), Does.Contain("現在の認証単位：回線単位"));
        await ShotAsync(page, "unit");
        await page.ClickAsync("text=トップへ戻る");
        await page.ClickAsync("text=パスワードの変更");
        Assert.That(await page.IsVisibleAsync(".notice"), Is.False, "a change the subscriber chose is not forced");
        await ShotAsync(page, "change-password-chosen");
        await page.ClickAsync("text=トップへ戻る");

        await page.ClickAsync("text=ログアウト");
        await LogInAsync(page, "0612345678", "hikari2026");
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/"), "the new password logs in");
        await page.ClickAsync("text=ログアウト");

        await LogInAsync(page, "0612345678", "24681357");
        Assert.That(await page.TextContentAsync("[role=alert]"), Is.EqualTo(
            "電話番号またはパスワードが正しくありません。ログインできない場合は、ご契約の回線から 0120-000-000 に電話して、仮パスワードを設定し直してください。"),
            "the temporary password no longer logs in");
        await ShotAsync(page, "login-refused");

        // The default limit is 10 password checks a minute per address; 4 were made above.
        for (var attempt = 0; attempt < 7; attempt++)
        {
            await LogInAsync(page, "0612345678", "guess1234");
        }
        Assert.That(await page.TextContentAsync("h1"), Is.EqualTo("しばらくお待ちください"));
        Assert.That(await page.TextContentAsync("[role=alert]"), Does.Contain("秒ほど待ってから、もう一度お試しください。"));
        await ShotAsync(page, "too-many-attempts");
    }

    private static async Task LogInAsync(IPage page, string phone, string password)
    {
        await page.FillAsync("#phone", phone);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file);
        if (Environment.GetEnvironmentVariable("IVR_UPDATE_SCREENSHOTS") == "1")
        {
            File.Copy(file, Path.Combine(RepositoryPaths.Root, "docs", "images", $"{name}.png"), overwrite: true);
        }
    }

    private static IPEndPoint EndPointOf(WebApplication app) => new(IPAddress.Loopback, FastAgiHost.BoundEndPoint(app).Port);
}
