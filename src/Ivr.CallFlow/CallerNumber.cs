namespace Ivr.CallFlow;

/// <summary>
/// The caller's number as the flow uses it: the ANI Asterisk passes, in national format (SPEC §2 step 1),
/// or nothing when the caller withheld it or the network has none (SPEC §7).
/// </summary>
public static class CallerNumber
{
    // Q.931 presentation indicator bits: 0x20 restricted, 0x40 not available.
    private const int Withheld = 0x20 | 0x40;

    /// <summary>The national-format number (<c>+81…</c> becomes <c>0…</c>; digits only), or null when there is none to use.</summary>
    public static string? Normalise(string? callerId, int? callingPresentation)
    {
        if ((callingPresentation.GetValueOrDefault() & Withheld) != 0 || callerId is null)
        {
            return null;
        }
        var trimmed = callerId.Trim();
        if (trimmed.Equals("unknown", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("anonymous", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 0)
        {
            return null;
        }
        return trimmed.StartsWith("+81", StringComparison.Ordinal) ? "0" + digits[2..] : digits;
    }
}
