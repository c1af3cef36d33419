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
    private readonly Lock _lock = new();
    private ITimer? _graceTimer;
    private bool _disposed;

    public FastAgiShutdown(IHostApplicationLifetime lifetime, TimeSpan gracePeriod, TimeProvider time)
    {
        GracePeriod = gracePeriod;
        // A TimeProvider timer keeps the grace period testable without sleeping.
        _registration = lifetime.ApplicationStopping.Register(() =>
        {
            lock (_lock)
            {
                _graceTimer ??= _disposed ? null : time.CreateTimer(_ => EndCalls(), null, gracePeriod, Timeout.InfiniteTimeSpan);
            }
        });
    }

    public TimeSpan GracePeriod { get; }

    /// <summary>Cancelled when the grace period after a stop request is over.</summary>
    public CancellationToken CallsMustEnd => _callsMustEnd.Token;

    private void EndCalls()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _callsMustEnd.Cancel();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _graceTimer?.Dispose();
        }
        _registration.Dispose();
        _callsMustEnd.Dispose();
    }
}
