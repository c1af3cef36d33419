using System.Collections.Frozen;
using System.Text.Json;

namespace Ivr.Domain;

/// <summary>
/// The one way the domain's words are written, wherever they appear (the store, the audit trail, scenario files,
/// printed JSON, logs): an enum member in kebab case, so <c>SettingUnit.AdminUser</c> is <c>admin-user</c>,
/// <c>CallOutcome.TooManyErrors</c> is <c>too-many-errors</c> and the step <c>ConfirmingPassword</c> is
/// <c>confirming-password</c>, exactly as SPEC §4 and §6 write them.
/// </summary>
public static class DomainWords
{
    /// <summary>The word for <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a named member of its enum.</exception>
    public static string ToName<TEnum>(this TEnum value) where TEnum : struct, Enum =>
        Words<TEnum>.ByValue.TryGetValue(value, out var word) ? word : throw new ArgumentOutOfRangeException(nameof(value), value, null);

    /// <summary>The member written as <paramref name="word"/>; false for null or any other text.</summary>
    public static bool TryParse<TEnum>(string? word, out TEnum value) where TEnum : struct, Enum
    {
        if (word is not null && Words<TEnum>.ByWord.TryGetValue(word, out value))
        {
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>Every word of <typeparamref name="TEnum"/>, in declaration order (for schema CHECKs and documentation).</summary>
    public static IReadOnlyList<string> AllOf<TEnum>() where TEnum : struct, Enum => Words<TEnum>.All;

    private static class Words<TEnum> where TEnum : struct, Enum
    {
        public static readonly IReadOnlyList<string> All = Enum.GetValues<TEnum>().Select(Write).ToArray();
        public static readonly FrozenDictionary<TEnum, string> ByValue = Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, Write);
        public static readonly FrozenDictionary<string, TEnum> ByWord = Enum.GetValues<TEnum>().ToFrozenDictionary(Write, v => v, StringComparer.Ordinal);

        private static string Write(TEnum value) => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
    }
}
