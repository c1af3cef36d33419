namespace Ivr.Domain;

/// <summary>Why a commit was refused (SPEC §3), for the operators (log line, audit row, metric); the caller only hears that the number is not valid.</summary>
public enum RefusalReason
{
    /// <summary>The caller's contract is gone or no longer active.</summary>
    ContractNotActive,

    /// <summary>The caller's number is no longer a number of the caller's contract.</summary>
    CallerNotInContract,

    CallerNotSubscribed,

    /// <summary>The target is unknown or a number of another contract (moved there since it was keyed, perhaps).</summary>
    TargetNotInContract,

    TargetNotSubscribed,

    /// <summary>The unit's own rule: the line unit sets the main number; an additional number's admin/user unit sets itself.</summary>
    TargetNotAllowedForUnit,
}
