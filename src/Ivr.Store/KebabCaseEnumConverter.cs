using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ivr.Store;

/// <summary>
/// Writes an enum in the project's words (<c>AdminUser</c> as <c>admin-user</c>, <c>TooManyErrors</c> as
/// <c>too-many-errors</c>), the same as the <c>ToName()</c> methods, so printed JSON reads like the spec.
/// </summary>
public sealed class KebabCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
