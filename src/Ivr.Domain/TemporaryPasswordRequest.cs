namespace Ivr.Domain;

/// <summary>What a call asks the store to commit once the caller has keyed and confirmed a temporary password.</summary>
/// <param name="CallId">The call asking, for the store's own records.</param>
/// <param name="Caller">The line the call comes from; the store re-checks it inside the commit (SPEC §3).</param>
/// <param name="Unit">The unit the caller chose.</param>
/// <param name="TargetNumber">The login whose temporary password is set (SPEC §4).</param>
/// <param name="Hash">The confirmed digits, hashed.</param>
public sealed record TemporaryPasswordRequest(
    string CallId, CallerLine Caller, SettingUnit Unit, string TargetNumber, TemporaryPasswordHash Hash);
