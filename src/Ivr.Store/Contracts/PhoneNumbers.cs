using System.Text.RegularExpressions;

namespace Ivr.Store;

/// <summary>
/// The one shape of a phone number in the store: national format, <c>0</c> then 9 or 10 digits, no hyphens
/// (SPEC §2 step 1 normalises callers to it). The schema checks the same pattern.
/// </summary>
public static partial class PhoneNumbers
{
    public static bool IsNational(string? number) => number is not null && NationalFormat().IsMatch(number);

    [GeneratedRegex("^0[0-9]{9,10}$", RegexOptions.CultureInvariant)]
    private static partial Regex NationalFormat();
}
