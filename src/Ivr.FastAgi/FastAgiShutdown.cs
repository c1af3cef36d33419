using Microsoft.Extensions.Hosting;

namespace Ivr.FastAgi;

/// <summary>
/// Polite, then firm: when the host stops, Kestrel stops accepting at once; calls in progress get
/// <see cref="GracePeriod"/> to finish, then <see cref="CallsMustEnd"/> is cancelled and scripts end them.
/// </summary>
public sealed class FastAgiShutdown : IDisposable
{
    private readonly CancellationTokenSource _callsMustEnd = new();
    private readonly CancellationTokenRegistration _registration;

    public FastAgiShutdown(IHostApplicationLifetime lifetime, TimeSpan gracePeriod, TimeProvider time)
    {
        GracePeriod = gracePeriod;
        _registration = lifetime.ApplicationStopping.Register(() =>
        {
            // CancelAfter on a TimeProvider-made source keeps the grace period testable without sleeping.
            var timer = time.CreateTimer(_ => _callsMustEnd.Cancel(), null, gracePeriod, Timeout.InfiniteTimeSpan);
            _callsMustEnd.Token.Register(timer.Dispose);
        });
    }

    public TimeSpan GracePeriod { get; }

    /// <summary>Cancelled when the grace period after a stop request is over.</summary>
    public CancellationToken CallsMustEnd => _callsMustEnd.Token;

    public void Dispose()
    {
        _registration.Dispose();
        _callsMustEnd.Dispose();
    }
}
