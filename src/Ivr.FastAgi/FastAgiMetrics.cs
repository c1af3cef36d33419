using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ivr.FastAgi;

/// <summary>
/// The protocol's figures for the operators (docs/operations.md): how long the server takes to answer Asterisk
/// (the turnaround: from a reply received to the next command sent), refused peers, and calls ended by a peer that
/// broke the protocol.
/// </summary>
public sealed class FastAgiMetrics
{
    public const string MeterName = "Ivr.FastAgi";

    private readonly Histogram<double> _turnaround;
    private readonly Counter<long> _refusedPeers;
    private readonly Counter<long> _protocolFaults;

    public FastAgiMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _turnaround = meter.CreateHistogram<double>("ivr.agi.turnaround", "s",
            "From Asterisk's reply to the server's next command: the server's own share of every wait a caller hears.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
        _refusedPeers = meter.CreateCounter<long>("ivr.agi.refused_peers", "{connection}", "FastAGI connections refused: the peer is not in IVR_AGI_ALLOW, or too many calls are in progress.");
        _protocolFaults = meter.CreateCounter<long>("ivr.agi.protocol_faults", "{call}", "Calls ended because the peer broke the FastAGI protocol, by fault.");
    }

    internal void Turnaround(long repliedAt) => _turnaround.Record(Stopwatch.GetElapsedTime(repliedAt).TotalSeconds);

    internal void PeerRefused() => _refusedPeers.Add(1);

    internal void ProtocolFault(AgiProtocolError fault) => _protocolFaults.Add(1, new KeyValuePair<string, object?>("ivr.agi.fault", fault.ToString()));
}
