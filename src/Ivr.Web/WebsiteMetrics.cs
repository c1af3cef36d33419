using System.Diagnostics.Metrics;

namespace Ivr.Web;

/// <summary>The website's figures for the operators (docs/operations.md): sessions started and attempts the rate limit refused.</summary>
public sealed class WebsiteMetrics
{
    public const string MeterName = "Ivr.Web";

    private readonly Counter<long> _sessions;
    private readonly Counter<long> _rateLimited;

    public WebsiteMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _sessions = meter.CreateCounter<long>("ivr.web.sessions", "{session}", "Sessions started by a successful login.");
        _rateLimited = meter.CreateCounter<long>("ivr.web.rate_limited", "{request}", "Password checks refused by the per-address rate limit.");
    }

    internal void SessionStarted() => _sessions.Add(1);

    internal void RateLimited() => _rateLimited.Add(1);
}
