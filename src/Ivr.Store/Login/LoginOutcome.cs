using Ivr.Domain;

namespace Ivr.Store;

/// <summary>What one login attempt found, and the session it may open.</summary>
/// <param name="Result">What the attempt found (audited as its word).</param>
/// <param name="SessionStamp">
/// Set when the attempt logged in (<see cref="LoginResult.TemporaryOk"/>, <see cref="LoginResult.Ok"/>, or a correct
/// but expired password): the credential's session stamp as the password was checked against it, which the
/// session carries (<see cref="WebsiteLogin.IsSessionLiveAsync"/>). Null otherwise.
/// </param>
public readonly record struct LoginOutcome(LoginResult Result, Guid? SessionStamp);
