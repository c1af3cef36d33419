using System.Text.Json;
using System.Text.Json.Serialization;
using Ivr.Domain;

namespace Ivr.Store;

/// <summary>How a <see cref="CallTrace"/> is kept in <c>call_trace.trace</c>: camelCase, defaults left out, so a call's document stays small.</summary>
internal static class TraceJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    public static string? Write(CallTrace? trace) => trace is null ? null : JsonSerializer.Serialize(trace, Options);

    public static CallTrace Read(string json) =>
        JsonSerializer.Deserialize<CallTrace>(json, Options) ?? throw new JsonException("a call trace is null");
}
