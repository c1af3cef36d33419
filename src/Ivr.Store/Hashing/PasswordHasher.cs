using System.Diagnostics;
using System.Security.Cryptography;

namespace Ivr.Store;

/// <summary>
/// Hashes temporary and chosen passwords: HMAC-SHA-256 under the server pepper, then PBKDF2-HMAC-SHA256 with a
/// 16-byte random salt, stored as one self-describing string (see <see cref="StoredHash"/>), so that the
/// iteration count and the pepper can change later without invalidating what is stored.
/// </summary>
/// <remarks>
/// An 8-digit temporary password has only 10^8 values: a stolen database alone would fall to an offline search.
/// The pepper, kept out of the database, is what stops that. The slow KDF runs on a thread of its own, at most
/// <see cref="PasswordHashingOptions.MaxConcurrentHashes"/> at a time; callers wait for a slot asynchronously,
/// so a surge of commits queues instead of starving the I/O path (issue 6).
/// </remarks>
public sealed class PasswordHasher
{
    private readonly Pepper _current;
    private readonly Dictionary<string, Pepper> _peppers = new(StringComparer.Ordinal);
    private readonly int _iterations;
    private readonly SemaphoreSlim _slots;
    private readonly StoreMetrics _metrics;
    private int _waiting;

    /// <param name="options">Validated options (<see cref="PasswordHashingOptionsValidator"/>): the composition validates them at start.</param>
    /// <exception cref="ArgumentException">The options are not usable (one-line message).</exception>
    public PasswordHasher(PasswordHashingOptions options, StoreMetrics metrics)
    {
        _metrics = metrics;
        if (PasswordHashingOptionsValidator.FindProblem(options) is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }
        _current = Pepper.Decode(options.ResolvePepper())!;
        _peppers[_current.KeyId] = _current;
        foreach (var previous in options.PreviousPepperList)
        {
            var pepper = Pepper.Decode(previous)!;
            _peppers.TryAdd(pepper.KeyId, pepper);
        }
        _iterations = options.Iterations;
        _slots = new SemaphoreSlim(options.MaxConcurrentHashes);
    }

    /// <summary>The key id of the pepper new hashes are made with (public: it is in every stored hash).</summary>
    public string CurrentKeyId => _current.KeyId;

    public async Task<string> HashAsync(string password, CancellationToken cancellationToken) =>
        (await TryHashAsync(password, Timeout.InfiniteTimeSpan, cancellationToken))!;

    /// <summary>Hashes <paramref name="password"/>, or returns null when no hashing slot came free within <paramref name="maxWait"/>.</summary>
    public async Task<string?> TryHashAsync(string password, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var salt = RandomNumberGenerator.GetBytes(StoredHash.SaltBytes);
        var hash = await RunBoundedAsync(() => Derive(_current, password, salt, _iterations), maxWait, cancellationToken);
        return hash is null ? null : new StoredHash(_current.KeyId, _iterations, salt, hash).Format();
    }

    /// <summary>Hashes waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Whether <paramref name="password"/> is the one <paramref name="storedHash"/> was made from, compared in constant time.</summary>
    /// <exception cref="UnverifiableHashException">The stored hash is malformed or names a pepper that is not configured.</exception>
    public async Task<bool> VerifyAsync(string password, string storedHash, CancellationToken cancellationToken)
    {
        var stored = StoredHash.Parse(storedHash);
        var pepper = _peppers.GetValueOrDefault(stored.KeyId) ?? throw new UnverifiableHashException(
            $"the stored hash was made with pepper {stored.KeyId}, which is neither IVR_PEPPER nor in IVR_PREVIOUS_PEPPERS");
        var actual = await RunBoundedAsync(() => Derive(pepper, password, stored.Salt, stored.Iterations), Timeout.InfiniteTimeSpan, cancellationToken);
        return CryptographicOperations.FixedTimeEquals(actual!, stored.Hash);
    }

    /// <summary>Whether a hash was made with a retired pepper or fewer iterations than new hashes get.</summary>
    public bool NeedsRehash(string storedHash)
    {
        var stored = StoredHash.Parse(storedHash);
        return stored.KeyId != _current.KeyId || stored.Iterations < _iterations;
    }

    /// <summary>Spends what a verification costs, with nothing to verify, so an unknown login answers as slowly as a known one.</summary>
    public Task SpendVerificationTimeAsync(string password, CancellationToken cancellationToken) =>
        RunBoundedAsync(() => Derive(_current, password, new byte[StoredHash.SaltBytes], _iterations), Timeout.InfiniteTimeSpan, cancellationToken);

    private async Task<byte[]?> RunBoundedAsync(Func<byte[]> derive, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var queuedAt = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _waiting);
        _metrics.HashQueued();
        bool acquired;
        try
        {
            acquired = await _slots.WaitAsync(maxWait, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
            _metrics.HashDequeued(Stopwatch.GetElapsedTime(queuedAt));
        }
        if (!acquired)
        {
            return null;
        }
        try
        {
            // A thread of its own, not a thread-pool worker: the hash holds it for its whole ~140 ms, and the pool's
            // few workers are the calls' (their database continuations, their timers), which would wait behind it.
            return await Task.Factory.StartNew(derive, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            _slots.Release();
        }
    }

    private static byte[] Derive(Pepper pepper, string password, byte[] salt, int iterations)
    {
        Span<byte> peppered = stackalloc byte[StoredHash.HashBytes];
        pepper.Apply(password, peppered);
        var hash = Rfc2898DeriveBytes.Pbkdf2(peppered, salt, iterations, HashAlgorithmName.SHA256, StoredHash.HashBytes);
        CryptographicOperations.ZeroMemory(peppered);
        return hash;
    }
}
