namespace Ivr.Domain;

/// <summary>Where a confirmed temporary password is committed.</summary>
/// <remarks>A failure the caller must hear as <c>system-error</c> is a <see cref="CallFailureException"/> naming its cause.</remarks>
public interface ICredentialStore
{
    /// <summary>
    /// Hashes a keyed temporary password for a later commit. Waits a bounded time for a hashing slot, then throws
    /// <see cref="CallFailureException"/> with <see cref="SystemErrorCause.HashingBusy"/>; writes nothing.
    /// </summary>
    Task<TemporaryPasswordHash> HashAsync(TemporaryPassword password, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the target's temporary password in one transaction that first re-checks the identity rule
    /// (SPEC §3). Returns <see cref="CommitResult.Refused"/> with the reason, writing nothing, when the rule no longer holds.
    /// </summary>
    Task<CommitResult> SetTemporaryPasswordAsync(TemporaryPasswordRequest request, CancellationToken cancellationToken);
}
