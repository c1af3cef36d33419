using Ivr.Domain;

namespace Ivr.CallFlow;

/// <summary>
/// A temporary password being hashed while the caller keys its confirmation. A mismatch, a hang-up or the end of
/// the call discards it: the hash is cancelled and any failure it had is observed here, never lost or rethrown.
/// </summary>
internal sealed class PendingHash
{
    private readonly CancellationTokenSource _cancel;

    public PendingHash(ICredentialStore credentials, TemporaryPassword password, CancellationToken callToken)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(callToken);
        Task = credentials.HashAsync(password, _cancel.Token);
    }

    /// <summary>The hash, for the commit to await.</summary>
    public Task<TemporaryPasswordHash> Task { get; }

    public void Discard()
    {
        if (!Task.IsCompleted)
        {
            _cancel.Cancel();
        }
        // Observe a failure of a hash nobody will await (a busy hasher, a cancelled one).
        _ = Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        _cancel.Dispose();
    }
}
