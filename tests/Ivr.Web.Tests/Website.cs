using System.Net;
using System.Text.RegularExpressions;
using Ivr.Domain;
using Ivr.Store;
using Ivr.Testing;
using Ivr.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Ivr.Web.Tests;

/// <summary>
/// The real website on a free loopback port, over a fresh database with the scenarios' directory and a fake clock;
/// more instances of it on the same database, and restarts, as a carrier runs them.
/// </summary>
internal sealed partial class Website : IAsyncDisposable
{
    private readonly PostgresTestDatabase _database;
    private readonly bool _ownsDatabase;
    private readonly WebsiteOptions _options;
    private readonly StoreServices _store;
    private WebApplication _app;

    private Website(PostgresTestDatabase database, bool ownsDatabase, WebsiteOptions options, FakeTimeProvider clock, List<string> logs)
    {
        Logs = logs;
        _database = database;
        _ownsDatabase = ownsDatabase;
        _options = options;
        Clock = clock;
        _store = StoreServices.Compose(Configuration(), clock);
        _app = Build();
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{Ivr.Hosting.IvrHosting.Addresses(_app)[0].Port}/");

    /// <summary>The options every test website starts with, unless it gives its own.</summary>
    public static WebsiteOptions DefaultOptions { get; } = new()
    {
        Listen = "127.0.0.1:0", SetupNumber = "0120-123-456", LoginAttemptsPerMinute = 1000, OperationsListen = "off",
    };

    public FakeTimeProvider Clock { get; }

    public PasswordHasher Hasher => _store.Hasher;

    public string ConnectionString => _database.ConnectionString;

    public Npgsql.NpgsqlDataSource DataSource => _database.DataSource;

    public WebsiteLogin Login => _store.Login;

    /// <summary>Every log line the website wrote, at Trace.</summary>
    public List<string> Logs { get; }

    /// <summary>A website on a new database; a key ring key of its own unless <paramref name="options"/> gives one.</summary>
    public static async Task<Website> StartAsync(WebsiteOptions? options = null)
    {
        var database = await PostgresTestDatabase.CreateAsync();
        options ??= DefaultOptions;
        var website = new Website(database, ownsDatabase: true, options with { KeyRingKey = options.KeyRingKey ?? KeyRingKey.NewBase64() },
            TestClock.Create(DateTimeOffset.UtcNow), []);
        await DirectoryFixture.LoadAsync(website._store.Directory);
        await website._app.StartAsync();
        return website;
    }

    /// <summary>A second instance on this one's database, with the same settings (or others) and key ring key (unless others give one), on a port of its own.</summary>
    public async Task<Website> StartAnotherInstanceAsync(WebsiteOptions? options = null)
    {
        options ??= _options;
        var other = new Website(_database, ownsDatabase: false, options with { KeyRingKey = options.KeyRingKey ?? _options.KeyRingKey }, Clock, Logs);
        await other._app.StartAsync();
        return other;
    }

    /// <summary>Stops the process's website and starts a new one with the same settings (on a new port): what a restart keeps is in the database.</summary>
    public async Task RestartAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = Build();
        await _app.StartAsync();
    }

    private WebApplication Build() =>
        IvrWebsite.Build(Configuration(), logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLoggerProvider(Logs)),
            services => services.AddSingleton<TimeProvider>(Clock));

    // The options as the configuration `ivr web` reads (IVR_WEB__…), over this website's database.
    private Microsoft.Extensions.Configuration.IConfiguration Configuration() =>
        TestServices.Configuration(_database.ConnectionString, new Dictionary<string, string?>
        {
            ["Web:Listen"] = _options.Listen,
            ["Web:IdleTimeout"] = _options.IdleTimeout.ToString(),
            ["Web:SessionLifetime"] = _options.SessionLifetime.ToString(),
            ["Web:SetupNumber"] = _options.SetupNumber,
            ["Web:LoginAttemptsPerMinute"] = _options.LoginAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Web:TrustedProxies"] = _options.TrustedProxies,
            ["Web:KeyRingKey"] = _options.KeyRingKey,
            ["Web:HttpsOnly"] = _options.HttpsOnly.ToString(),
            ["Web:OperationsListen"] = _options.OperationsListen,
        });

    /// <summary>Sets a temporary password as a call would (the store's commit, identity rule and all).</summary>
    public async Task SetTemporaryPasswordAsync(string caller, SettingUnit unit, string target, string digits)
    {
        var line = await _store.Directory.FindCallerLineAsync(caller, CancellationToken.None);
        var result = await _store.Credentials.SetTemporaryPasswordAsync(TestRequests.TemporaryPassword(line!, unit, target, digits), CancellationToken.None);
        Assert.That(result, Is.EqualTo(CommitResult.Committed));
    }

    /// <summary>
    /// A browser-like client: cookies kept, redirects not followed (the tests look at them). Clients of several
    /// instances given one <paramref name="cookies"/> are one browser: cookies are per host, not per port.
    /// </summary>
    /// <param name="from">The loopback address the client connects from (a proxy's, say); 127.0.0.1 unless given.</param>
    public HttpClient NewClient(CookieContainer? cookies = null, IPAddress? from = null)
    {
        cookies ??= new CookieContainer();
        var client = new HttpClient(new SocketsHttpHandler
        {
            CookieContainer = cookies,
            AllowAutoRedirect = false,
            UseCookies = true,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from ?? IPAddress.Loopback, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        }) { BaseAddress = BaseAddress };
        Browsers.AddOrUpdate(client, cookies);
        return client;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpClient, CookieContainer> Browsers = [];

    /// <summary>The cookies a client of <see cref="NewClient"/> holds.</summary>
    public static CookieContainer CookiesOf(HttpClient client) => Browsers.TryGetValue(client, out var cookies) ? cookies : throw new ArgumentException("not a client of NewClient", nameof(client));

    /// <summary>The directory, to import changes as <c>ivr directory import</c> does.</summary>
    public ContractDirectory Directory => _store.Directory;

    /// <summary>Fetches a page, then posts its form with its antiforgery token and the given fields.</summary>
    public static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, params (string Name, string Value)[] fields) =>
        PostFormAsync(client, client, page, fields);

    /// <summary>The top page's logout button.</summary>
    public static async Task<HttpResponseMessage> LogOutAsync(HttpClient client)
    {
        var top = await client.GetStringAsync("/");
        return await client.PostAsync("/Logout", new FormUrlEncodedContent([new("__RequestVerificationToken", AntiforgeryTokenOf(top))]));
    }

    /// <summary>Fetches a page with <paramref name="formFrom"/>, then posts its form with <paramref name="postTo"/> (another instance, say).</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient formFrom, HttpClient postTo, string page, params (string Name, string Value)[] fields)
    {
        var form = await formFrom.GetStringAsync(page);
        return await postTo.PostAsync(page, new FormUrlEncodedContent(
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
        await _store.DisposeAsync();
        if (_ownsDatabase)
        {
            await _database.DisposeAsync();
        }
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
