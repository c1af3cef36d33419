namespace Ivr.Store;

/// <summary>The words a <see cref="LoginResult"/> is printed and audited as (SPEC §6).</summary>
public static class LoginResultNames
{
    public static string ToName(this LoginResult result) => result switch
    {
        LoginResult.TemporaryOk => "temporary-ok",
        LoginResult.Ok => "ok",
        LoginResult.Wrong => "wrong",
        LoginResult.Expired => "expired",
        LoginResult.Locked => "locked",
        LoginResult.Unknown => "unknown",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };
}
