namespace Ivr.CallFlow;

/// <summary>What a <see cref="CallStep"/> does.</summary>
internal enum CallStepKind
{
    /// <summary>Plays a prompt (<c>STREAM FILE</c>).</summary>
    Play,

    /// <summary>Reads a number back digit by digit (<c>SAY DIGITS</c>).</summary>
    ReadBack,

    /// <summary>Plays a prompt and collects keys (<c>GET DATA</c>).</summary>
    Ask,

    /// <summary>Ends the call from our side (<c>HANGUP</c>).</summary>
    HangUp,

    /// <summary>Looks up the caller's line in the contract directory (SPEC §2 step 1).</summary>
    CheckCaller,

    /// <summary>Checks that a keyed number belongs to the caller's contract (SPEC §2 step 3).</summary>
    CheckNumber,

    /// <summary>Writes the temporary password, re-checking the contract (SPEC §3).</summary>
    Commit,
}
