using Ivr.CallFlow;
using Ivr.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Ivr.CallFlow.Tests;

/// <summary>
/// One <see cref="TemporaryPasswordCall"/> with strict mocks for every port: the caller answers prompts from a
/// script, and everything the caller hears is recorded in order. Every call the harness runs goes through the same
/// flow, as every call on one connection does.
/// </summary>
public sealed class CallHarness
{
    public const string MainNumber = "0612345678";
    public const string AdditionalNumber = "0612345679";
    public const string OtherContractNumber = "0698765432";

    private readonly Queue<(PromptId Prompt, CallerInput? Input)> _answers = new();
    private CancellationTokenSource _hangUp = new();
    private TemporaryPasswordCall? _flow;
    private int _calls;

    public CallHarness()
    {
        Caller.Setup(c => c.PlayAsync(It.IsAny<PromptId>(), It.IsAny<CancellationToken>()))
            .Callback((PromptId prompt, CancellationToken _) => Heard.Add(prompt.Value)).Returns(ValueTask.CompletedTask);
        Caller.Setup(c => c.SayDigitsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string digits, CancellationToken _) => Heard.Add("digits:" + digits)).Returns(ValueTask.CompletedTask);
        Caller.Setup(c => c.HangUpAsync(It.IsAny<CancellationToken>()))
            .Callback(() => Heard.Add("hangup")).Returns(ValueTask.CompletedTask);
        Caller.Setup(c => c.AskAsync(It.IsAny<PromptId>(), It.IsAny<TimeSpan>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Returns((PromptId prompt, TimeSpan timeout, int maxDigits, CancellationToken _) =>
            {
                Heard.Add(prompt.Value);
                Asked.Add((prompt, timeout, maxDigits));
                Assert.That(_answers, Is.Not.Empty, $"the flow asked {prompt} after the script ended");
                var (expected, input) = _answers.Dequeue();
                Assert.That(prompt, Is.EqualTo(expected), "the flow asked for another prompt than the script expected");
                return input is { } keyed ? ValueTask.FromResult(keyed) : new ValueTask<CallerInput>(HangUpNow<CallerInput>());
            });
        Directory.Setup(d => d.FindCallerLineAsync(MainNumber, It.IsAny<CancellationToken>())).ReturnsAsync(new CallerLine(MainNumber, "C001", MainNumber));
        Directory.Setup(d => d.FindCallerLineAsync(AdditionalNumber, It.IsAny<CancellationToken>())).ReturnsAsync(new CallerLine(AdditionalNumber, "C001", MainNumber));
        Directory.Setup(d => d.IsSubscribedNumberOfContractAsync("C001", It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, string number, CancellationToken _) => number is MainNumber or AdditionalNumber);
        Credentials.Setup(s => s.HashAsync(It.IsAny<TemporaryPassword>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TemporaryPassword password, CancellationToken _) =>
            {
                var hash = new TemporaryPasswordHash($"test-hash-{HashedDigits.Count}");
                HashedDigits[hash] = password.Reveal();
                HashesStarted.Add(Heard.Count);
                return hash;
            });
        Credentials.Setup(s => s.SetTemporaryPasswordAsync(It.IsAny<TemporaryPasswordRequest>(), It.IsAny<CancellationToken>()))
            .Callback((TemporaryPasswordRequest request, CancellationToken _) => Committed.Add(request)).ReturnsAsync(CommitResult.Committed);
        Audit.Setup(a => a.WriteAsync(It.IsAny<CallRecord>(), It.IsAny<CancellationToken>()))
            .Callback((CallRecord record, CancellationToken _) => Audited.Add(record)).Returns(Task.CompletedTask);
    }

    public Mock<ICaller> Caller { get; } = new(MockBehavior.Strict);
    public Mock<IContractDirectory> Directory { get; } = new(MockBehavior.Strict);
    public Mock<ICredentialStore> Credentials { get; } = new(MockBehavior.Strict);
    public Mock<IAuditLog> Audit { get; } = new(MockBehavior.Strict);
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    public CallFlowOptions Options { get; } = new();
    public ILogger<TemporaryPasswordCall> Logger { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger<TemporaryPasswordCall>.Instance;

    public List<string> Heard { get; } = [];
    public List<(PromptId Prompt, TimeSpan Timeout, int MaxDigits)> Asked { get; } = [];
    public List<TemporaryPasswordRequest> Committed { get; } = [];

    /// <summary>The digits each hash the flow asked for was made from (a test stand-in for the slow hash).</summary>
    public Dictionary<TemporaryPasswordHash, string> HashedDigits { get; } = [];

    /// <summary>For each hash the flow started, how many things the caller had heard by then.</summary>
    public List<int> HashesStarted { get; } = [];

    /// <summary>Cancelled to play the server's "calls must end" (the shutdown grace period is over).</summary>
    public CancellationTokenSource CallsMustEnd { get; } = new();

    /// <summary>The digits the committed temporary password was made from.</summary>
    public string CommittedDigits => HashedDigits[Committed.Single().Hash];
    public List<CallRecord> Audited { get; } = [];

    /// <summary>The caller keys <paramref name="keys"/> (without the ending '#') at <paramref name="prompt"/>.</summary>
    public CallHarness Answer(PromptId prompt, string keys, bool timedOut = false)
    {
        _answers.Enqueue((prompt, new CallerInput(keys, timedOut)));
        return this;
    }

    /// <summary>The caller hangs up instead of answering <paramref name="prompt"/>.</summary>
    public CallHarness HangUpAt(PromptId prompt)
    {
        _answers.Enqueue((prompt, null));
        return this;
    }

    /// <summary>What a port does when the caller hangs up during it: the hang-up token is cancelled and the call is over.</summary>
    public Task<T> HangUpNow<T>()
    {
        _hangUp.Cancel();
        return Task.FromCanceled<T>(_hangUp.Token);
    }

    public ValueTask HangUpNow() => new(HangUpNow<bool>());

    /// <summary>Runs a call, <c>call-1</c>, <c>call-2</c>, … in turn; a caller who hung up is gone before the next call.</summary>
    public async Task<CallOutcome> RunAsync(string? callerId = MainNumber, int? presentation = 0)
    {
        _flow ??= new TemporaryPasswordCall(Caller.Object, Directory.Object, Credentials.Object, Audit.Object, Options, Time, Logger, new CallFlowMetrics(MeterFactory));
        var auditedBefore = Audited.Count;
        var record = await _flow.RunAsync(new IncomingCall($"call-{++_calls}", callerId, presentation), _hangUp.Token, CallsMustEnd.Token);
        Assert.That(Audited.Count - auditedBefore, Is.LessThanOrEqualTo(1), "one audit row per call");
        Assert.That(Audited.Count == auditedBefore || record == Audited[^1], "the flow returns the row it audited");
        _hangUp = new CancellationTokenSource();
        return record.Outcome;
    }

    /// <summary>Where the call's figures are recorded (a <c>MetricCollector</c> can read them).</summary>
    public System.Diagnostics.Metrics.IMeterFactory MeterFactory { get; } = Ivr.Testing.TestServices.MeterFactory();

    public CallRecord AuditRow => Audited.Single();
}
