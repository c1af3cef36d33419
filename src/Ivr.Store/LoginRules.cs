namespace Ivr.Store;

/// <summary>The website login's rules (SPEC §4), in one place for the website and <c>ivr credentials verify</c>.</summary>
public static class LoginRules
{
    /// <summary>A temporary password logs in for 24 hours from its setting.</summary>
    public static readonly TimeSpan TemporaryPasswordLifetime = TimeSpan.FromHours(24);

    /// <summary>A chosen password must be changed after 60 days.</summary>
    public static readonly TimeSpan PasswordLifetime = TimeSpan.FromDays(60);

    /// <summary>Consecutive wrong attempts that invalidate a temporary password.</summary>
    public const int TemporaryPasswordAttempts = 3;

    /// <summary>Consecutive wrong attempts that lock a password (a new temporary password by phone unlocks it).</summary>
    public const int PasswordAttempts = 10;

    /// <summary>Why a new password is refused, or null when it is acceptable: 8–12 ASCII letters and digits, not digits only, not the current one.</summary>
    public static PasswordChangeResult? CheckNewPassword(string newPassword, string currentPassword) =>
        newPassword.Length is < 8 or > 12 ? PasswordChangeResult.WrongLength
        : !newPassword.All(char.IsAsciiLetterOrDigit) ? PasswordChangeResult.NotLettersAndDigits
        : newPassword.All(char.IsAsciiDigit) ? PasswordChangeResult.DigitsOnly
        : newPassword == currentPassword ? PasswordChangeResult.SameAsCurrent
        : null;
}
