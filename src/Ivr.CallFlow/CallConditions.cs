namespace Ivr.CallFlow;

/// <summary>What the call flow's machine may know about a call when it decides (<see cref="CallFlowMachine"/>).</summary>
[Flags]
internal enum CallConditions
{
    None = 0,

    /// <summary>The caller has had fewer than <see cref="CallFlowOptions.MaxBadInputs"/> bad inputs.</summary>
    BadInputsLeft = 1,

    /// <summary>The unit chosen sets a number the caller does not key: the line unit, or admin/user from an additional number.</summary>
    TargetIsImplied = 2,

    /// <summary>An additional number is setting its own admin/user password (SPEC §2's register wording).</summary>
    RegistersItself = 4,
}
