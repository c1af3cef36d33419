namespace Ivr.Web;

/// <summary>What the sign-in cookie says about the subscriber.</summary>
internal static class Claims
{
    /// <summary>The login id (the phone number).</summary>
    public const string Login = "login";

    /// <summary>Present while the subscriber must choose a new password before anything else.</summary>
    public const string MustChangePassword = "must-change-password";

    /// <summary>The credential's session stamp when the session opened: checked on every request, so the server can end the session.</summary>
    public const string SessionStamp = "session-stamp";

    /// <summary>When the subscriber last proved a password (Unix seconds): the session ends a fixed time after, however busy.</summary>
    public const string SignedInAt = "signed-in-at";
}
