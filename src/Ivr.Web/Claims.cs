namespace Ivr.Web;

/// <summary>What the sign-in cookie says about the subscriber.</summary>
internal static class Claims
{
    /// <summary>The login id (the phone number).</summary>
    public const string Login = "login";

    /// <summary>Present while the subscriber must choose a new password before anything else.</summary>
    public const string MustChangePassword = "must-change-password";
}
