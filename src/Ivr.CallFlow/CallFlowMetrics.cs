using System.Diagnostics;
using System.Diagnostics.Metrics;
using Ivr.Domain;

namespace Ivr.CallFlow;

/// <summary>
/// The call flow's figures for the operators (docs/operations.md), in OpenTelemetry's naming style: calls in
/// progress, calls by outcome, bad inputs by step, commits by result and refusal reason, and the wait after the
/// caller's last key.
/// </summary>
public sealed class CallFlowMetrics
{
    public const string MeterName = "Ivr.CallFlow";

    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _badInputs;
    private readonly Counter<long> _commits;
    private readonly Histogram<double> _commitDuration;

    public CallFlowMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _active = meter.CreateUpDownCounter<long>("ivr.calls.active", "{call}", "Calls in progress.");
        _calls = meter.CreateCounter<long>("ivr.calls", "{call}", "Calls ended, by outcome and reason.");
        _badInputs = meter.CreateCounter<long>("ivr.call.bad_inputs", "{input}", "Bad inputs, by the step they were keyed at.");
        _commits = meter.CreateCounter<long>("ivr.commits", "{commit}", "Temporary-password commits, by result and refusal reason.");
        _commitDuration = meter.CreateHistogram<double>("ivr.commit.duration", "s",
            "From the caller's confirmation to the commit's answer (the hash still running, then the transaction): the silence after the last key.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    internal void CallStarted() => _active.Add(1);

    internal void CallEnded(CallRecord record)
    {
        _active.Add(-1);
        _calls.Add(1, new TagList { { "ivr.call.outcome", record.Outcome.ToName() }, { "ivr.call.reason", record.Reason ?? "" } });
    }

    internal void BadInput(CallState step) => _badInputs.Add(1, new KeyValuePair<string, object?>("ivr.call.step", step.ToName()));

    internal void CommitAnswered(CommitResult result, TimeSpan waited)
    {
        var tags = new TagList { { "ivr.commit.result", result.IsCommitted ? "committed" : "refused" }, { "ivr.refusal.reason", result.Refusal?.ToName() ?? "" } };
        _commits.Add(1, tags);
        _commitDuration.Record(waited.TotalSeconds, tags);
    }
}
