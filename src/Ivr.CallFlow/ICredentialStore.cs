namespace Ivr.CallFlow;

/// <summary>Where a confirmed temporary password is committed.</summary>
public interface ICredentialStore
{
    /// <summary>
    /// Sets the target's temporary password in one transaction that first re-checks the identity rule
    /// (SPEC §3). Returns <see cref="CommitResult.Refused"/>, writing nothing, when the rule no longer holds.
    /// </summary>
    Task<CommitResult> SetTemporaryPasswordAsync(TemporaryPasswordRequest request, CancellationToken cancellationToken);
}
