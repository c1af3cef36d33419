using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ivr.FastAgi;

namespace Ivr.FastAgi.Tests;

/// <summary>The connection handler over real loopback TCP: routing, the peer allowlist, limits, and hostile input.</summary>
[NonParallelizable]
public class FastAgiConnectionHandlerTests
{
    [Test]
    public async Task A_call_to_a_known_script_runs_it_and_the_server_closes_the_connection()
    {
        await using var server = await TestServer.StartAsync(new FastAgiLimits());

        var sent = await server.ExchangeAsync(TestServer.Environment());

        Assert.That(sent, Is.EqualTo("STREAM FILE hello \"\"\nHANGUP\n"));
        Assert.That(server.Script.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task A_call_the_server_ends_costs_no_exception()
    {
        // Under load an exception per call is CPU the callers wait for: ending a call, closing its connection and
        // stopping its reader must all take the ordinary path.
        await using var server = await TestServer.StartAsync(new FastAgiLimits());
        await server.ExchangeAsync(TestServer.Environment()); // the first call warms up whatever throws once per process
        var thrown = new List<string>();
        void Record(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            lock (thrown)
            {
                thrown.Add($"{e.Exception.GetType().Name}: {e.Exception.Message}");
            }
        }
        AppDomain.CurrentDomain.FirstChanceException += Record;
        try
        {
            for (var call = 0; call < 20; call++)
            {
                Assert.That(await server.ExchangeAsync(TestServer.Environment()), Does.EndWith("HANGUP\n"));
            }
            await Task.Delay(200); // readers that would fail late
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Record;
        }
        lock (thrown)
        {
            Assert.That(thrown, Is.Empty);
        }
    }

    [Test]
    public async Task Listening_on_every_IPv6_address_takes_IPv4_calls_too()
    {
        await using var server = await TestServer.StartAsync(new IPEndPoint(IPAddress.IPv6Any, 0), new FastAgiLimits());

        var sent = await server.ExchangeAsync(TestServer.Environment()); // to 127.0.0.1

        Assert.That(sent, Is.EqualTo("STREAM FILE hello \"\"\nHANGUP\n"));
    }

    [Test]
    public async Task An_unknown_script_path_is_closed_without_a_command()
    {
        await using var server = await TestServer.StartAsync(new FastAgiLimits());

        var sent = await server.ExchangeAsync(TestServer.Environment("something-else"));

        Assert.That(sent, Is.Empty);
        Assert.That(server.Script.Calls, Is.Zero);
    }

    [Test]
    public async Task A_peer_outside_the_allowlist_is_closed_before_its_environment_is_read()
    {
        await using var server = await TestServer.StartAsync(new FastAgiLimits { AllowedPeers = Networks("127.0.0.1/32") });

        var refused = await server.ExchangeAsync(TestServer.Environment(), from: IPAddress.Parse("127.0.0.2"));
        var allowed = await server.ExchangeAsync(TestServer.Environment(), from: IPAddress.Parse("127.0.0.1"));

        Assert.That(refused, Is.Empty);
        Assert.That(allowed, Does.StartWith("STREAM FILE"));
        Assert.That(server.Script.Calls, Is.EqualTo(1), "only the allowed peer's call ran");
    }

    [TestCase("127.0.0.1/32", "127.0.0.1", true)]
    [TestCase("127.0.0.1/32", "127.0.0.2", false)]
    [TestCase("10.0.0.0/8", "10.20.30.40", true)]
    [TestCase("10.0.0.0/8", "11.0.0.1", false)]
    [TestCase("127.0.0.0/8, ::1/128", "::1", true)]
    [TestCase("127.0.0.0/8", "::ffff:127.0.0.1", true)]
    public void The_allowlist_takes_addresses_and_networks(string list, string peer, bool allowed) =>
        Assert.That(new PeerAllowList(Networks(list), TimeProvider.System).Allows(IPAddress.Parse(peer)), Is.EqualTo(allowed));

    private static List<IPNetwork> Networks(string list) => list.Split(',').Select(network => IPNetwork.Parse(network.Trim())).ToList();

    [Test]
    public void A_refused_peer_is_logged_once_a_minute_at_most()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var list = new PeerAllowList([], time);
        var peer = IPAddress.Parse("192.0.2.1");

        Assert.That(list.ShouldLogRefusal(peer), Is.True);
        Assert.That(list.ShouldLogRefusal(peer), Is.False);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.That(list.ShouldLogRefusal(peer), Is.True);
    }

    [Test]
    public async Task Calls_beyond_the_limit_are_closed_at_once()
    {
        await using var server = await TestServer.StartAsync(new FastAgiLimits { MaxConcurrentCalls = 1, EnvironmentTimeout = TimeSpan.FromSeconds(2) });
        using var holding = new System.Net.Sockets.TcpClient();
        await holding.ConnectAsync(server.EndPoint);
        await Task.Delay(100);

        var sent = await server.ExchangeAsync(TestServer.Environment());

        Assert.That(sent, Is.Empty, "the second call is refused while the first holds the only slot");
    }

    [Test]
    public async Task Many_malformed_peers_end_cleanly_and_a_normal_call_still_works()
    {
        await using var server = await TestServer.StartAsync(new FastAgiLimits { EnvironmentTimeout = TimeSpan.FromMilliseconds(300), ReplyTimeout = TimeSpan.FromMilliseconds(300), MaxLineLength = 256 });
        var random = new Random(20261124);
        var samples = new List<byte[]>
        {
            new byte[10_000],                                                  // an endless line of NULs
            Encoding.ASCII.GetBytes(new string('a', 5_000)),                  // an endless line
            Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("agi_x: y\n", 500))), // an oversized block
            Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),        // the wrong protocol
            Join(TestServer.Environment(), "garbage reply\n"u8.ToArray()),               // a broken reply
            Join(TestServer.Environment(), "200 result=0 endpos=1\n200 result=0\n200 result=0\n"u8.ToArray()), // replies nobody asked for
            Array.Empty<byte>(),                                             // a silent peer
        };
        for (var i = 0; i < 40; i++)
        {
            var bytes = new byte[random.Next(1, 600)];
            random.NextBytes(bytes);
            samples.Add(random.Next(2) == 0 ? bytes : Join(TestServer.Environment(), bytes));
        }

        await Task.WhenAll(samples.Select(sample => server.ExchangeAsync(sample, answer: false)));
        var normal = await server.ExchangeAsync(TestServer.Environment());

        Assert.That(normal, Is.EqualTo("STREAM FILE hello \"\"\nHANGUP\n"));
        Assert.That(() => server.Handler.CallsInProgress, Is.Zero.After(5000, 50), "every call slot was released");
    }

    private static byte[] Join(byte[] first, byte[] second) => [.. first, .. second];

    [Test]
    public async Task After_our_HANGUP_is_answered_the_connection_closes_before_the_script_has_finished()
    {
        var script = new TestServer.GatedScript("hang-up-then-write", hangUp: true);
        await using var server = await TestServer.StartAsync(new FastAgiLimits(), script);
        var (socket, stream) = await server.CallAsync(script.Path);
        using var _ = socket;
        await using var __ = stream;
        using var reader = new StreamReader(stream, Encoding.UTF8);

        Assert.That(await reader.ReadLineAsync(), Is.EqualTo("STREAM FILE hello \"\""));
        await stream.WriteAsync("200 result=0 endpos=1\n"u8.ToArray());
        Assert.That(await reader.ReadLineAsync(), Is.EqualTo("HANGUP"));
        await stream.WriteAsync("200 result=1\nHANGUP\n"u8.ToArray());

        Assert.That(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)), Is.Null, "the peer sees the end of the stream");
        Assert.That(script.Finished.IsCompleted, Is.False, "while the script still has work to do");
        script.Gate.SetResult();
        await script.Finished.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task When_the_caller_hangs_up_between_commands_the_connection_closes_before_the_script_has_finished()
    {
        var script = new TestServer.GatedScript("wait-then-write", hangUp: false);
        await using var server = await TestServer.StartAsync(new FastAgiLimits(), script);
        var (socket, stream) = await server.CallAsync(script.Path);
        using var _ = socket;
        await using var __ = stream;
        using var reader = new StreamReader(stream, Encoding.UTF8);

        Assert.That(await reader.ReadLineAsync(), Is.EqualTo("STREAM FILE hello \"\""));
        await stream.WriteAsync("200 result=0 endpos=1\n"u8.ToArray());
        await stream.WriteAsync("HANGUP\n"u8.ToArray());

        Assert.That(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)), Is.Null, "the peer sees the end of the stream");
        Assert.That(script.Finished.IsCompleted, Is.False, "while the script still has work to do");
        script.Gate.SetResult();
        await script.Finished.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task Each_call_after_one_that_ended_any_way_is_served_as_the_first_was()
    {
        // The handler keeps a session, its reader and its writer from call to call: whatever the call before left (a
        // command waiting when the caller hung up, a broken peer, a reply timer armed), the next call starts clean.
        var script = new EchoScript();
        await using var server = await TestServer.StartAsync(
            new FastAgiLimits { ReplyTimeout = TimeSpan.FromMilliseconds(400), FailureHangUpWindow = TimeSpan.FromMilliseconds(100) }, script);

        async Task<string> CallAsync(string id, Func<StreamReader, NetworkStream, Task> peer)
        {
            var (socket, stream) = await server.CallAsync(script.Path, id);
            using var _ = socket;
            await using var __ = stream;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await peer(reader, stream);
            var rest = new StringBuilder();
            try
            {
                while (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5)) is { } line)
                {
                    rest.Append(line).Append('\n');
                }
            }
            catch (IOException)
            {
                // reset by the server: the call is over
            }
            return rest.ToString();
        }
        async Task AnswerAsync(StreamReader reader, NetworkStream stream, string expected, string reply)
        {
            Assert.That(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5)), Is.EqualTo(expected));
            await stream.WriteAsync(Encoding.ASCII.GetBytes(reply));
        }
        async Task NormalCallAsync(string id)
        {
            var rest = await CallAsync(id, async (reader, stream) =>
            {
                await AnswerAsync(reader, stream, $"GET DATA ask-{id} 1000 4", "200 result=12\n");
                await AnswerAsync(reader, stream, "SAY DIGITS 12 \"\"", "200 result=0\n");
                await AnswerAsync(reader, stream, "HANGUP", "200 result=1\nHANGUP\n");
            });
            Assert.That(rest, Is.Empty, $"call {id} ended after our HANGUP");
        }

        await NormalCallAsync("1.1");
        await CallAsync("2.2", (reader, stream) => AnswerAsync(reader, stream, "GET DATA ask-2.2 1000 4", "HANGUP\n"));
        await NormalCallAsync("3.3");
        await CallAsync("4.4", (reader, stream) => AnswerAsync(reader, stream, "GET DATA ask-4.4 1000 4", "999 not a reply\n"));
        await NormalCallAsync("5.5");
        await CallAsync("6.6", (reader, stream) => AnswerAsync(reader, stream, "GET DATA ask-6.6 1000 4", "200 result=-1\n"));
        await NormalCallAsync("7.7");
        var silent = Stopwatch.StartNew();
        await CallAsync("8.8", async (reader, _) =>
            Assert.That(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5)), Is.EqualTo("GET DATA ask-8.8 1000 4")));
        Assert.That(silent.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(350)), "a peer that never answers has the whole reply timeout");
        await NormalCallAsync("9.9");
        // Letting go of the kept sessions (once a surge is over) touches no call in progress, and the next is served.
        var during = await CallAsync("10.10", async (reader, stream) =>
        {
            await AnswerAsync(reader, stream, "GET DATA ask-10.10 1000 4", "200 result=3\n");
            server.Handler.ReleaseIdleSessions();
            await AnswerAsync(reader, stream, "SAY DIGITS 3 \"\"", "200 result=0\n");
            await AnswerAsync(reader, stream, "HANGUP", "200 result=1\nHANGUP\n");
        });
        Assert.That(during, Is.Empty);
        server.Handler.ReleaseIdleSessions();
        await NormalCallAsync("11.11");

        Assert.That(script.Seen, Is.EqualTo(new[] { "1.1", "2.2", "3.3", "4.4", "5.5", "6.6", "7.7", "8.8", "9.9", "10.10", "11.11" }));
        Assert.That(() => server.Handler.CallsInProgress, Is.Zero.After(5000, 50));
    }

    /// <summary>Asks for keys with a prompt named after the call, says them back, and hangs up.</summary>
    private sealed class EchoScript : IAgiScript
    {
        private readonly List<string> _seen = [];

        public string Path => "echo";

        public IReadOnlyList<string> Seen
        {
            get
            {
                lock (_seen)
                {
                    return [.. _seen];
                }
            }
        }

        public async Task RunAsync(AgiSession session, CancellationToken stopping)
        {
            var id = session.Environment.UniqueId!;
            lock (_seen)
            {
                _seen.Add(id);
            }
            var keyed = await session.GetDataAsync($"ask-{id}", TimeSpan.FromSeconds(1), 4);
            await session.SayDigitsAsync(keyed.Digits);
            await session.HangUpAsync();
        }
    }
}
