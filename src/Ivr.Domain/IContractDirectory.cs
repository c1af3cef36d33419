namespace Ivr.Domain;

/// <summary>The contract directory, read at the steps where the flow checks who is calling and which numbers they may set.</summary>
/// <remarks>A failure the caller must hear as <c>system-error</c> is a <see cref="CallFailureException"/> naming its cause.</remarks>
public interface IContractDirectory
{
    /// <summary>
    /// The caller's line when <paramref name="number"/> is a subscribed number of an active contract;
    /// otherwise null (SPEC §2 step 1).
    /// </summary>
    Task<CallerLine?> FindCallerLineAsync(string number, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="number"/> is a subscribed number of the contract <paramref name="contractId"/> (SPEC §2 step 3).</summary>
    Task<bool> IsSubscribedNumberOfContractAsync(string contractId, string number, CancellationToken cancellationToken);
}
