namespace Ivr.Store;

/// <summary>The outcome of an authentication-unit change.</summary>
/// <param name="Result">What happened.</param>
/// <param name="Login">The login id afterwards (the contract's main number after a move to the line unit).</param>
/// <param name="RefusedNumber">For <see cref="UnitChangeResult.MergedPasswordWrong"/>, the number whose password did not match.</param>
/// <param name="SessionStamp">
/// For <see cref="UnitChangeResult.Changed"/>, the new login's session stamp: every session of the credentials the
/// change replaced or relabelled has ended, and the session that made the change carries this one from now on.
/// </param>
public sealed record UnitChange(UnitChangeResult Result, string? Login = null, string? RefusedNumber = null, Guid? SessionStamp = null);
