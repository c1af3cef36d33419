namespace Ivr.CallFlow;

/// <summary>What the store did with a <see cref="TemporaryPasswordRequest"/>.</summary>
public enum CommitResult
{
    /// <summary>The temporary password is set; the old one and its counters are replaced.</summary>
    Committed,

    /// <summary>
    /// The identity rule failed at the moment of the commit (SPEC §3): the caller's line or the target
    /// number no longer belongs to the same active contract, or is no longer subscribed. Nothing was written.
    /// </summary>
    Refused,
}
