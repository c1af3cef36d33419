namespace Ivr.CallFlow;

/// <summary>The contract directory, read at the steps where the flow checks who is calling and which numbers they may set.</summary>
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
