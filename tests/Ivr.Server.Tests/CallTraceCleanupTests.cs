using System.Threading.Channels;
using Ivr.Domain;
using Ivr.Server;
using Ivr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ivr.Server.Tests;

/// <summary>Issue 15: the server deletes traces past their retention by itself, on its clock (a fake one here: no sleeping).</summary>
public class CallTraceCleanupTests
{
    private static readonly CallTrace Trace = new([new CallTraceEvent(CallTraceEventKind.Played, TimeSpan.Zero, TimeSpan.FromSeconds(2), "temp-password/caller-id-required")]);

    private TestStore _store = null!;

    [SetUp]
    public async Task CreateStore() => _store = await TestStore.CreateAsync();

    [TearDown]
    public async Task DropStore() => await _store.DisposeAsync();

    [Test]
    public async Task Traces_older_than_the_retention_are_gone_after_each_clean_up_and_their_audit_rows_stay()
    {
        var now = _store.Clock.GetUtcNow();
        await WriteCallsAsync(("31-days-old", now.AddDays(-31)), ("29-days-old", now.AddDays(-29).AddHours(-12)), ("today", now.AddHours(-1)));
        var passes = Channel.CreateUnbounded<int>();
        var cleanup = new CallTraceCleanup(_store.Audit, Options.Create(new CallTraceOptions { CleanupInterval = TimeSpan.FromDays(1) }), _store.Clock, new PassLogger(passes.Writer));

        await cleanup.StartAsync(CancellationToken.None);
        var atStart = await NextPassAsync(passes.Reader);
        var traced29 = await _store.Audit.FindTraceAsync("29-days-old", CancellationToken.None);
        _store.Clock.Advance(TimeSpan.FromDays(1));
        var nextDay = await NextPassAsync(passes.Reader);
        await cleanup.StopAsync(CancellationToken.None);

        Assert.That((atStart, nextDay), Is.EqualTo((1, 1)), "the 31-day-old trace at start, the one then past 30 days a day later");
        Assert.That(traced29, Is.Not.Null);
        Assert.That(await _store.Audit.FindTraceAsync("31-days-old", CancellationToken.None), Is.Null);
        Assert.That(await _store.Audit.FindTraceAsync("29-days-old", CancellationToken.None), Is.Null);
        Assert.That(await _store.Audit.FindTraceAsync("today", CancellationToken.None), Is.EqualTo(Trace).Using<CallTrace>((a, b) => a.Events.SequenceEqual(b.Events)));
        Assert.That((await _store.Audit.FindAsync("31-days-old", CancellationToken.None))!.HasTrace, Is.False, "the audit row stays, without its trace");
    }

    [Test]
    public void The_retention_defaults_to_30_days_and_is_checked_in_one_line()
    {
        Assert.That(new CallTraceOptions().Retention, Is.EqualTo(TimeSpan.FromDays(30)));
        Assert.That(CallTraceOptionsValidator.FindProblem(new CallTraceOptions { Retention = TimeSpan.FromMinutes(5) }),
            Is.EqualTo("IVR_TRACE_RETENTION '00:05:00' must be between 01:00:00 and 3650.00:00:00"));
    }

    [Test]
    public async Task The_server_runs_the_clean_up()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var app = FastAgiHost.Build(database.Configuration(new Dictionary<string, string?> { ["TraceRetention"] = "7.00:00:00" }));

        var cleanups = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<CallTraceCleanup>();
        var options = app.Services.GetRequiredService<IOptions<CallTraceOptions>>().Value;

        Assert.That(cleanups.Count(), Is.EqualTo(1));
        Assert.That(options.Retention, Is.EqualTo(TimeSpan.FromDays(7)));
    }

    // Through a store of its own, closed before the clean-up starts: closing writes the traces still waiting.
    private async Task WriteCallsAsync(params (string CallId, DateTimeOffset StartedAt)[] calls)
    {
        await using var writer = StoreServices.Compose(TestServices.Configuration(_store.Database.ConnectionString));
        foreach (var (callId, startedAt) in calls)
        {
            await writer.Audit.WriteAsync(
                new CallRecord(callId, startedAt, startedAt.AddMinutes(1), null, null, null, CallOutcome.CallerIdRequired, "checking-caller", Trace: Trace),
                CancellationToken.None);
        }
    }

    private static async Task<int> NextPassAsync(ChannelReader<int> passes)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await passes.ReadAsync(limit.Token);
    }

    // Hands each finished pass's count to the test (the TracesDeleted line, event 210).
    private sealed class PassLogger(ChannelWriter<int> passes) : ILogger<CallTraceCleanup>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Assert.That(exception, Is.Null, formatter(state, exception));
            if (eventId.Id == 210 && state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                passes.TryWrite((int)values.First(pair => pair.Key == "Count").Value!);
            }
        }
    }
}
