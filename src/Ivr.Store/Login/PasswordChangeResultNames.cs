namespace Ivr.Store;

/// <summary>The words a <see cref="PasswordChangeResult"/> is printed and audited as.</summary>
public static class PasswordChangeResultNames
{
    public static string ToName(this PasswordChangeResult result) => result switch
    {
        PasswordChangeResult.Changed => "changed",
        PasswordChangeResult.Unknown => "unknown",
        PasswordChangeResult.Wrong => "wrong",
        PasswordChangeResult.Locked => "locked",
        PasswordChangeResult.TemporaryPasswordExpired => "temporary-password-expired",
        PasswordChangeResult.WrongLength => "wrong-length",
        PasswordChangeResult.NotLettersAndDigits => "not-letters-and-digits",
        PasswordChangeResult.DigitsOnly => "digits-only",
        PasswordChangeResult.SameAsCurrent => "same-as-current",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };
}
