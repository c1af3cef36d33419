using System.Diagnostics.Metrics;

namespace Ivr.Store;

/// <summary>The store's figures for the operators (docs/operations.md): the hash queue and its wait, database faults.</summary>
public sealed class StoreMetrics
{
    public const string MeterName = "Ivr.Store";

    private readonly UpDownCounter<long> _hashQueue;
    private readonly Histogram<double> _hashWait;
    private readonly Counter<long> _databaseErrors;

    public StoreMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _hashQueue = meter.CreateUpDownCounter<long>("ivr.hash.queue", "{hash}", "Hashes waiting for a hashing slot.");
        _hashWait = meter.CreateHistogram<double>("ivr.hash.wait.duration", "s", "How long a hash waited for a slot.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _databaseErrors = meter.CreateCounter<long>("ivr.db.errors", "{error}", "Database steps that failed, by step and error type.");
    }

    internal void HashQueued() => _hashQueue.Add(1);

    internal void HashDequeued(TimeSpan waited)
    {
        _hashQueue.Add(-1);
        _hashWait.Record(waited.TotalSeconds);
    }

    internal void DatabaseError(string step, string errorType) =>
        _databaseErrors.Add(1, new KeyValuePair<string, object?>("ivr.db.step", step), new KeyValuePair<string, object?>("error.type", errorType));
}
