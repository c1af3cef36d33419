using Ivr.Domain;

namespace Ivr.Store;

/// <summary>The website login's rules (SPEC §4), in one place for the website and <c>ivr credentials verify</c>.</summary>
public static class LoginRules
{
    /// <summary>A temporary password logs in while less than 24 hours have passed since it was set.</summary>
    public static readonly TimeSpan TemporaryPasswordLifetime = TimeSpan.FromHours(24);

    /// <summary>A chosen password must be changed once 60 days have passed since it was.</summary>
    public static readonly TimeSpan PasswordLifetime = TimeSpan.FromDays(60);

    /// <summary>Consecutive wrong attempts that invalidate a temporary password.</summary>
    public const int TemporaryPasswordWrongAttemptLimit = 3;

    /// <summary>Consecutive wrong attempts that lock a password (a new temporary password by phone unlocks it).</summary>
    public const int PasswordWrongAttemptLimit = 10;

    public const int NewPasswordMinimumLength = 8;
    public const int NewPasswordMaximumLength = 12;

    /// <summary>Why a new password is refused, or null when it is acceptable: 8–12 ASCII letters and digits, not digits only, not the current one.</summary>
    public static PasswordChangeResult? CheckNewPassword(string newPassword, string currentPassword) =>
        newPassword.Length is < NewPasswordMinimumLength or > NewPasswordMaximumLength ? PasswordChangeResult.WrongLength
        : !newPassword.All(char.IsAsciiLetterOrDigit) ? PasswordChangeResult.NotLettersAndDigits
        : newPassword.All(char.IsAsciiDigit) ? PasswordChangeResult.DigitsOnly
        : newPassword == currentPassword ? PasswordChangeResult.SameAsCurrent
        : null;
}
