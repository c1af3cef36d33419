using Ivr.Domain;

namespace Ivr.Testing;

/// <summary>Commit requests as the call flow makes them, for store tests that play the call's part.</summary>
public static class TestRequests
{
    private static int s_calls;

    /// <summary>A request from <paramref name="caller"/>'s line to set <paramref name="target"/>'s temporary password to <paramref name="digits"/>.</summary>
    public static TemporaryPasswordRequest TemporaryPassword(CallerLine caller, SettingUnit unit, string target, string digits = "12345678") =>
        new(NewCallId(), caller, unit, target, Hash(digits));

    /// <summary>The test hash of <paramref name="digits"/>, made by the test hasher.</summary>
    public static TemporaryPasswordHash Hash(string digits) =>
        new(TestHashing.Hasher().HashAsync(Password(digits).Reveal(), CancellationToken.None).GetAwaiter().GetResult());

    public static TemporaryPassword Password(string digits) =>
        Ivr.Domain.TemporaryPassword.TryCreate(digits, out var password) ? password!
        : throw new ArgumentException("a temporary password is exactly 8 digits", nameof(digits));

    /// <summary>A call id shaped like Asterisk's <c>agi_uniqueid</c>, unique within the test run.</summary>
    public static string NewCallId() => $"1775034000.{Interlocked.Increment(ref s_calls)}";
}
