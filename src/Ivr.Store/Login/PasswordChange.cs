using Ivr.Domain;

namespace Ivr.Store;

/// <summary>What a password change did, and the session stamp it wrote.</summary>
/// <param name="Result">What happened (audited as its word when a password was checked).</param>
/// <param name="SessionStamp">
/// For <see cref="PasswordChangeResult.Changed"/>, the credential's new session stamp: every session that carries
/// the old one has ended, and the session that made the change carries this one from now on. Null otherwise.
/// </param>
public readonly record struct PasswordChange(PasswordChangeResult Result, Guid? SessionStamp);
