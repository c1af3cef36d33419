using Ivr.Domain;

namespace Ivr.Store;

/// <summary>One website login attempt as audited: never the password.</summary>
/// <param name="AttemptId">Increasing with each attempt written.</param>
/// <param name="AttemptedAt">When the attempt was decided.</param>
/// <param name="Login">The login tried when it has the shape of a phone number; null otherwise, so that a password typed into the login field is not kept.</param>
/// <param name="ClientAddress">The browser's address as the website saw it, or the tool that made the attempt (<c>cli</c>, <c>lab</c>).</param>
/// <param name="Action"><c>login</c> or <c>change-password</c>.</param>
/// <param name="Result">A <see cref="LoginResult"/> word for a login, a <see cref="PasswordChangeResult"/> word for a change.</param>
public sealed record LoginAuditRow(long AttemptId, DateTimeOffset AttemptedAt, string? Login, string? ClientAddress, string Action, string Result);
