using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ivr.Domain;

/// <summary>Writes and reads an enum in JSON as its <see cref="DomainWords"/> word, so printed JSON reads like the spec.</summary>
public sealed class DomainWordConverter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && DomainWords.TryParse(reader.GetString(), out TEnum value)
            ? value
            : throw new JsonException($"expected one of {string.Join(", ", DomainWords.AllOf<TEnum>())}");

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToName());
}
