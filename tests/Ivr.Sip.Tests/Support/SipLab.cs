using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Ivr.Store;
using Ivr.Testing;
using Microsoft.Extensions.Configuration;

namespace Ivr.Sip.Tests.Support;

/// <summary>
/// Everything a real call needs, started once for the assembly: a test database loaded with the scenarios'
/// directory, the FastAGI server in-process, a real Asterisk running the project's dialplan, and a baresip
/// registered as each lab phone. Tests run in parallel; each phone (and the carrier trunk) carries one call at a time.
/// </summary>
internal sealed partial class SipLab : IAsyncDisposable
{
    /// <summary>The carrier's signalling address: the trunk's <c>match=</c>.</summary>
    public static readonly IPAddress Carrier = IPAddress.Parse("127.0.0.5");

    /// <summary>A host that is not the carrier.</summary>
    public static readonly IPAddress OtherHost = IPAddress.Parse("127.0.0.6");

    public const string CarrierEndpoint = "carrier";

    /// <summary>Keys sent the moment a prompt starts can beat GET DATA to the channel; a caller is slower anyway.</summary>
    private static readonly TimeSpan KeyDelay = TimeSpan.FromMilliseconds(300);

    private static readonly TimeSpan PromptTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string> Phones = new()
    {
        ["lab-main"] = "lab-main-pass",
        ["lab-additional"] = "lab-additional-pass",
        ["lab-other"] = "lab-other-pass",
        ["lab-unknown"] = "lab-unknown-pass",
        ["lab-withheld"] = "lab-withheld-pass",
    };

    private static SipLab? s_current;

    private readonly Dictionary<string, BaresipPhone> _phones = [];
    private readonly Dictionary<string, SemaphoreSlim> _lines = [];
    private readonly IPAddress _agiHost;
    private readonly StoreServices _store;
    private IvrServer? _server;
    private AsteriskInstance? _asterisk;

    private SipLab(PostgresTestDatabase database, IPAddress agiHost, string agiKey)
    {
        Database = database;
        _agiHost = agiHost;
        AgiKey = agiKey;
        // The website's own composition over the server's database and pepper, on real time like the server.
        _store = StoreServices.Compose(ServerConfiguration());
        foreach (var line in Phones.Keys.Append(CarrierEndpoint))
        {
            _lines[line] = new SemaphoreSlim(1, 1);
        }
    }

    public static SipLab Current => s_current ?? throw new InvalidOperationException("the SIP lab is not running");

    public static SipLab? CurrentOrNull => s_current;

    public PostgresTestDatabase Database { get; }

    public AsteriskInstance Asterisk => _asterisk ?? throw new InvalidOperationException("Asterisk is not running");

    /// <summary>Asterisk's instance folder, with its log, once it was created.</summary>
    public string? AsteriskFolder => _asterisk?.Folder;

    public IvrServer Server => _server ?? throw new InvalidOperationException("the FastAGI server is stopped");

    /// <summary>The shared secret of this run, in Asterisk's environment and the server's configuration.</summary>
    public string AgiKey { get; }

    /// <summary>The website's login rules, on the store the server writes.</summary>
    public WebsiteLogin Login => _store.Login;

    public AuditLog Audit => _store.Audit;

    public static async Task StartAsync(AsteriskBuild build)
    {
        var database = await PostgresTestDatabase.CreateAsync();
        var lab = new SipLab(database, FreeAgiHost(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        s_current = lab;
        await DirectoryFixture.LoadAsync(lab._store.Directory);
        await lab.StartServerAsync();
        lab._asterisk = await AsteriskInstance.StartAsync(build, lab._agiHost, Carrier, lab.AgiKey);
        var phones = await Task.WhenAll(Phones.Select(phone => BaresipPhone.StartAsync(
            Path.Combine(lab.Asterisk.Folder, "phones", phone.Key), phone.Key, phone.Value, lab.Asterisk.SipEndPoint)));
        foreach (var phone in phones)
        {
            lab._phones[phone.Account] = phone;
        }
        lab.StartUpLog = lab.Asterisk.Log.Lines;
    }

    /// <summary>What Asterisk logged from its start until every phone had registered, dialplan load included.</summary>
    public IReadOnlyList<string> StartUpLog { get; private set; } = [];

    /// <summary>A lab phone dials the lab's setup number (1000); the caller presses as the prompts come.</summary>
    public async Task<SipCall> CallFromPhoneAsync(string phone, params Press[] presses)
    {
        using var line = await TakeAsync(phone);
        var baresip = _phones[phone];
        baresip.ForgetEvents();
        var from = Asterisk.Log.Count;
        await baresip.DialAsync("1000");
        return await FollowAsync(baresip, phone, from, presses);
    }

    /// <summary>A scripted INVITE from <paramref name="from"/> that Asterisk must answer as <paramref name="endpoint"/>.</summary>
    public async Task<SipCall> CallFromUacAsync(IPAddress from, string endpoint, SipInvite invite, params Press[] presses)
    {
        using var line = await TakeAsync(endpoint);
        var start = Asterisk.Log.Count;
        await using var uac = await ScriptedUac.CallAsync(from, Asterisk.SipEndPoint, invite);
        Assert.That(uac.FinalStatus, Is.EqualTo(200), "Asterisk answered the INVITE");
        return await FollowAsync(uac, endpoint, start, presses);
    }

    /// <summary>
    /// A scripted INVITE that should be refused: its final status, and what Asterisk logged meanwhile about channels
    /// of <paramref name="endpoint"/>, the endpoint it must not reach (held meanwhile, so no other test's call is
    /// among them). A call answered after all runs one second into the dialplan, then is hung up.
    /// </summary>
    public async Task<(int Status, IReadOnlyList<string> Log)> InviteAsync(IPAddress from, string endpoint, SipInvite invite)
    {
        using var line = await TakeAsync(endpoint);
        var start = Asterisk.Log.Count;
        int status;
        await using (var uac = await ScriptedUac.CallAsync(from, Asterisk.SipEndPoint, invite))
        {
            status = uac.FinalStatus;
            if (status == 200)
            {
                await Task.Delay(TimeSpan.FromSeconds(1)); // long enough for the dialplan to run into the server
                await uac.HangUpAsync();
            }
        }
        // The endpoint stays held until the call's lines have stopped coming: a refusal reaches us before Asterisk's
        // logger writes why, and a line written after the release would be the next test's.
        return (status, await Asterisk.Log.SettledAsync(start, text => text.Contains($"PJSIP/{endpoint}-", StringComparison.Ordinal), TimeSpan.FromMilliseconds(500)));
    }

    /// <summary>The call's audit row, once the server has written it (when the call ends).</summary>
    public async Task<AuditRow> AuditRowAsync(string uniqueId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            if (await Audit.FindAsync(uniqueId, CancellationToken.None) is { } row)
            {
                return row;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new AssertionException($"no audit row for call {uniqueId}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Runs <paramref name="calls"/> against a server started with <paramref name="overrides"/>, or none at all when null; then the usual server again.</summary>
    public async Task WithServerAsync(IDictionary<string, string?>? overrides, Func<Task> calls)
    {
        await StopServerAsync();
        try
        {
            if (overrides is not null)
            {
                await StartServerAsync(overrides);
            }
            await calls();
        }
        finally
        {
            await StopServerAsync();
            await StartServerAsync();
        }
    }

    private async Task<SipCall> FollowAsync(ICallingParty party, string endpoint, int from, IReadOnlyList<Press> presses)
    {
        var (channel, start) = await Asterisk.WaitForSetupCallAsync(endpoint, from);
        var uniqueId = await Asterisk.UniqueIdAsync(channel);
        var at = start;
        foreach (var press in presses)
        {
            at = await Asterisk.Log.WaitForAsync(at + 1, line => Heard.IsPlaying(line, channel, press.Prompt.Value), PromptTimeout,
                $"{channel} playing {press.Prompt.Value}");
            await Task.Delay(KeyDelay);
            switch (press.Keys)
            {
                case Press.HangUp:
                    await party.HangUpAsync();
                    break;
                case Press.Timeout:
                    break;
                default:
                    await party.SendDigitsAsync(press.Keys);
                    break;
            }
        }
        var end = await Asterisk.Log.WaitForAsync(start, line => line.Contains($"exited non-zero on '{channel}'", StringComparison.Ordinal),
            CallTimeout, $"the end of {channel}");
        await party.WaitForEndAsync(TimeSpan.FromSeconds(10));
        var log = Asterisk.Log.Lines.Skip(from).Take(end - from + 1).ToList();
        var tag = CallTag().Match(log[start - from]).Value;
        return new SipCall(channel, uniqueId, Heard.On(log, channel), log.Where(line => line.Contains(tag, StringComparison.Ordinal)).ToList(), log);
    }

    private async Task<IDisposable> TakeAsync(string line)
    {
        var semaphore = _lines[line];
        if (!await semaphore.WaitAsync(TimeSpan.FromMinutes(3)))
        {
            throw new AssertionException($"{line} stayed busy for 3 minutes");
        }
        return new Release(semaphore);
    }

    private async Task StartServerAsync(IDictionary<string, string?>? overrides = null) =>
        _server = await IvrServer.StartAsync(ServerConfiguration(overrides));

    // The test configuration (test pepper, fast hashing) with this lab's FastAGI settings.
    private IConfiguration ServerConfiguration(IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            // The dialplan's port; the address is the run's own, which Asterisk gets as IVR_HOST.
            ["Listen"] = $"{_agiHost}:4573",
            ["AgiAllow"] = "127.0.0.0/8",
            ["AgiKey"] = AgiKey,
            // Short, so that the timeout tests stay short; Asterisk's GET DATA applies it as the server asks.
            ["InputTimeout"] = "00:00:04",
            ["OperationsListen"] = "off",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return TestServices.Configuration(Database.ConnectionString, settings);
    }

    private async Task StopServerAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    // Port 4573 is the dialplan's, and another server on this machine may hold it on 127.0.0.1: take an address of our own.
    private static IPAddress FreeAgiHost()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var address = new IPAddress([127, 45, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(1, 255)]);
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(address, 4573));
                return address;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("no loopback address with port 4573 free");
    }

    public static async Task StopAsync()
    {
        if (s_current is not { } lab)
        {
            return;
        }
        s_current = null;
        await lab.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // Each part is stopped even when another fails to: no process outlives the run.
        var failures = new List<Exception>();
        async Task Stop(Func<ValueTask> stop)
        {
            try
            {
                await stop();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }
        foreach (var phone in _phones.Values)
        {
            await Stop(phone.DisposeAsync);
        }
        if (_asterisk is not null)
        {
            await Stop(_asterisk.DisposeAsync);
        }
        await Stop(async () => await StopServerAsync());
        await Stop(_store.DisposeAsync);
        await Stop(Database.DisposeAsync);
        if (failures.Count > 0)
        {
            throw new AggregateException("stopping the SIP lab", failures);
        }
    }

    // Asterisk tags each line a call's thread logs with the call's id: "VERBOSE[15960][C-00000001] pbx.c: …".
    [System.Text.RegularExpressions.GeneratedRegex(@"\[C-[0-9a-f]+\]")]
    private static partial System.Text.RegularExpressions.Regex CallTag();

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }
}
