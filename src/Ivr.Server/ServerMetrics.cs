using System.Diagnostics.Metrics;

namespace Ivr.Server;

/// <summary>The server's own figures for the operators (docs/operations.md): audit rows waiting in the spool.</summary>
public sealed class ServerMetrics(IMeterFactory meterFactory)
{
    public const string MeterName = "Ivr.Server";

    private readonly Meter _meter = meterFactory.Create(MeterName);

    // Observed rather than counted: the figure is what the spool holds, rows left by an earlier run included.
    internal void ObserveAuditSpool(Func<int> waiting) =>
        _meter.CreateObservableUpDownCounter("ivr.audit.spool.rows", waiting, "{row}", "Audit rows kept on the server's disk, waiting for the database.");
}
