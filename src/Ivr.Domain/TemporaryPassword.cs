namespace Ivr.Domain;

/// <summary>
/// The eight digits a caller keyed as their temporary password. It never prints itself, so it
/// cannot reach a log line, an exception message or the audit trail by accident (SPEC §4).
/// </summary>
public sealed class TemporaryPassword
{
    /// <summary>The guide's rule: exactly eight digits (SPEC §2 step 4).</summary>
    public const int Length = 8;

    private readonly string _digits;

    private TemporaryPassword(string digits) => _digits = digits;

    public static bool TryCreate(string? keyed, out TemporaryPassword? password)
    {
        password = keyed is { Length: Length } && keyed.All(char.IsAsciiDigit) ? new TemporaryPassword(keyed) : null;
        return password is not null;
    }

    /// <summary>The digits themselves, for the hasher only.</summary>
    public string Reveal() => _digits;

    /// <summary>Whether a confirmation keyed the same digits (SPEC §2 step 5).</summary>
    public bool Matches(string? keyed) => string.Equals(_digits, keyed, StringComparison.Ordinal);

    public override string ToString() => "********";
}
