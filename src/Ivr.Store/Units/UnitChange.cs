namespace Ivr.Store;

/// <summary>The outcome of an authentication-unit change.</summary>
/// <param name="Result">What happened.</param>
/// <param name="Login">The login id afterwards (the contract's main number after a move to the line unit).</param>
/// <param name="RefusedNumber">For <see cref="UnitChangeResult.MergedPasswordWrong"/>, the number whose password did not match.</param>
public sealed record UnitChange(UnitChangeResult Result, string? Login = null, string? RefusedNumber = null);
