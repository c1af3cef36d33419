using System.Diagnostics.Metrics;
using Ivr.Domain;

namespace Ivr.Store;

/// <summary>The store's figures for the operators (docs/operations.md): the hash queue and its wait, database steps and their faults, website logins by result.</summary>
public sealed class StoreMetrics
{
    public const string MeterName = "Ivr.Store";

    private readonly UpDownCounter<long> _hashQueue;
    private readonly Histogram<double> _hashWait;
    private readonly Histogram<double> _databaseSteps;
    private readonly Counter<long> _databaseErrors;
    private readonly Counter<long> _logins;

    public StoreMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _hashQueue = meter.CreateUpDownCounter<long>("ivr.hash.queue", "{hash}", "Hashes waiting for a hashing slot.");
        _hashWait = meter.CreateHistogram<double>("ivr.hash.wait.duration", "s", "How long a hash waited for a slot.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _databaseSteps = meter.CreateHistogram<double>("ivr.db.step.duration", "s", "How long a call or the audit writer waited for the database, by step.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3] });
        _databaseErrors = meter.CreateCounter<long>("ivr.db.errors", "{error}", "Database steps that failed, by step and error type.");
        _logins = meter.CreateCounter<long>("ivr.web.logins", "{attempt}", "Website login attempts that checked a password, by result.");
    }

    internal void HashQueued() => _hashQueue.Add(1);

    internal void HashDequeued(TimeSpan waited)
    {
        _hashQueue.Add(-1);
        _hashWait.Record(waited.TotalSeconds);
    }

    internal void LoginAttempted(LoginResult result) => _logins.Add(1, new KeyValuePair<string, object?>("ivr.login.result", result.ToName()));

    internal void DatabaseStepEnded(string step, TimeSpan took) =>
        _databaseSteps.Record(took.TotalSeconds, new KeyValuePair<string, object?>("ivr.db.step", step));

    internal void DatabaseError(string step, string errorType) =>
        _databaseErrors.Add(1, new KeyValuePair<string, object?>("ivr.db.step", step), new KeyValuePair<string, object?>("error.type", errorType));
}
