using Ivr.Domain;

namespace Ivr.Store;

/// <summary>
/// SPEC §3, the rule that must never break, as it stands at the moment of the commit: the caller's line and the
/// target are subscribed numbers of the caller's contract, that contract is active, and the unit allows the
/// target (SPEC §2 step 3).
/// </summary>
internal static class IdentityRule
{
    /// <summary>A contract row as locked inside the commit.</summary>
    public sealed record LockedContract(string MainNumber, bool Active);

    /// <summary>A number row as locked inside the commit.</summary>
    public sealed record LockedNumber(string PhoneNumber, string ContractId, bool Subscribed);

    /// <summary>Why the request must be refused, or null when it may be committed.</summary>
    public static RefusalReason? FindRefusal(TemporaryPasswordRequest request, LockedContract? contract, IReadOnlyCollection<LockedNumber> numbers)
    {
        var contractId = request.Caller.ContractId;
        var caller = numbers.FirstOrDefault(number => number.PhoneNumber == request.Caller.Number);
        var target = numbers.FirstOrDefault(number => number.PhoneNumber == request.TargetNumber);
        return contract is not { Active: true } ? RefusalReason.ContractNotActive
            : caller is null || caller.ContractId != contractId ? RefusalReason.CallerNotInContract
            : !caller.Subscribed ? RefusalReason.CallerNotSubscribed
            : target is null || target.ContractId != contractId ? RefusalReason.TargetNotInContract
            : !target.Subscribed ? RefusalReason.TargetNotSubscribed
            : !UnitAllows(request.Unit, caller.PhoneNumber, target.PhoneNumber, contract.MainNumber) ? RefusalReason.TargetNotAllowedForUnit
            : null;
    }

    // The main number is the contract's as of now, not as the call saw it when it started.
    private static bool UnitAllows(SettingUnit unit, string caller, string target, string mainNumber) => unit switch
    {
        SettingUnit.Line => target == mainNumber,
        SettingUnit.Number => true,
        SettingUnit.AdminUser => caller == mainNumber || target == caller,
        _ => false,
    };
}
