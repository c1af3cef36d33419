using Ivr.Domain;

namespace Ivr.Lab.Scenarios;

/// <summary>A credential a scenario expects after the call, checked through the website's verification.</summary>
/// <param name="Login">The login id (a phone number).</param>
/// <param name="Unit">The unit in the store's words: <c>line</c>, <c>number</c>, <c>admin-user</c>.</param>
/// <param name="TemporaryPassword">The digits that must log in as a temporary password.</param>
public sealed record ExpectedCredential(string Login, string Unit, string TemporaryPassword);
