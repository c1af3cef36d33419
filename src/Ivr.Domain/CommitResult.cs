namespace Ivr.Domain;

/// <summary>What the store did with a <see cref="TemporaryPasswordRequest"/>: committed, or refused with the reason.</summary>
public sealed record CommitResult
{
    private CommitResult(RefusalReason? refusal) => Refusal = refusal;

    /// <summary>The temporary password is set; the old one and its counters are replaced.</summary>
    public static CommitResult Committed { get; } = new((RefusalReason?)null);

    /// <summary>
    /// The identity rule failed at the moment of the commit (SPEC §3): the caller's line or the target number no
    /// longer belongs to the same active contract, or is no longer subscribed. Nothing was written.
    /// </summary>
    public static CommitResult Refused(RefusalReason reason) => new(reason);

    /// <summary>Why the commit was refused; null when it was committed.</summary>
    public RefusalReason? Refusal { get; }

    public bool IsCommitted => Refusal is null;
}
