using System.Net;
using System.Text.RegularExpressions;
using Ivr.Domain;
using Ivr.Store;
using Ivr.Testing;
using Ivr.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Ivr.Web.Tests;

/// <summary>The real website on a free loopback port, over a fresh database with the scenarios' directory and a fake clock.</summary>
internal sealed partial class Website : IAsyncDisposable
{
    private readonly PostgresTestDatabase _database;
    private readonly WebApplication _app;

    private Website(PostgresTestDatabase database, StoreServices store, WebApplication app, FakeTimeProvider clock, List<string> logs)
    {
        _store = store;
        Logs = logs;
        _database = database;
        _app = app;
        Clock = clock;
        BaseAddress = new Uri($"http://127.0.0.1:{Ivr.Hosting.IvrHosting.Addresses(app)[0].Port}/");
    }

    public Uri BaseAddress { get; }

    public FakeTimeProvider Clock { get; }

    private readonly StoreServices _store;

    public PasswordHasher Hasher => _store.Hasher;

    public string ConnectionString => _database.ConnectionString;

    public WebsiteLogin Login => _store.Login;

    /// <summary>Every log line the website wrote, at Trace.</summary>
    public List<string> Logs { get; }

    public static async Task<Website> StartAsync(WebsiteOptions? options = null)
    {
        var database = await PostgresTestDatabase.CreateAsync();
        var clock = TestClock.Create(DateTimeOffset.UtcNow);
        var store = StoreServices.Compose(TestServices.Configuration(database.ConnectionString), clock);
        await DirectoryFixture.LoadAsync(store.Directory);
        var logs = new List<string>();
        var app = IvrWebsite.Build(store.Login, store.Units,
            options ?? new WebsiteOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), SetupNumber = "0120-123-456", LoginAttemptsPerMinute = 1000 },
            clock, logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLoggerProvider(logs)));
        await app.StartAsync();
        return new Website(database, store, app, clock, logs);
    }

    /// <summary>Sets a temporary password as a call would (the store's commit, identity rule and all).</summary>
    public async Task SetTemporaryPasswordAsync(string caller, SettingUnit unit, string target, string digits)
    {
        var line = await _store.Directory.FindCallerLineAsync(caller, CancellationToken.None);
        var result = await _store.Credentials.SetTemporaryPasswordAsync(TestRequests.TemporaryPassword(line!, unit, target, digits), CancellationToken.None);
        Assert.That(result, Is.EqualTo(CommitResult.Committed));
    }

    /// <summary>A browser-like client: cookies kept, redirects not followed (the tests look at them).</summary>
    public HttpClient NewClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = BaseAddress };

    /// <summary>Fetches a page, then posts its form with its antiforgery token and the given fields.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, params (string Name, string Value)[] fields)
    {
        var form = await client.GetStringAsync(page);
        return await client.PostAsync(page, new FormUrlEncodedContent(
            [.. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)), new("__RequestVerificationToken", AntiforgeryTokenOf(form))]));
    }

    /// <summary>The antiforgery token of a page's form.</summary>
    public static string AntiforgeryTokenOf(string page) => AntiforgeryToken().Match(page).Groups[1].Value;

    /// <summary>The login audit, a line per row: login, client address, action, result.</summary>
    public async Task<IReadOnlyList<string>> LoginAuditAsync()
    {
        await using var command = _database.DataSource.CreateCommand(
            "SELECT concat_ws(' ', login_id, client_address, action, result) FROM website_login_audit ORDER BY attempt_id");
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return lines;
    }

    public static Task<HttpResponseMessage> LogInAsync(HttpClient client, string phone, string password) =>
        PostFormAsync(client, "/Login", ("Phone", phone), ("Password", password));

    public static Task<HttpResponseMessage> ChangeAsync(HttpClient client, string current, string next, string? confirmation = null) =>
        PostFormAsync(client, "/ChangePassword", ("Current", current), ("NewPassword", next), ("Confirmation", confirmation ?? next));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(lines);

        public void Dispose()
        {
        }

        private sealed class Logger(List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (lines)
                {
                    lines.Add($"{formatter(state, exception)} {state} {exception}");
                }
            }
        }
    }
}
