using System.Text.Json;
using System.Text.Json.Serialization;
using Ivr.Domain;

namespace Ivr.Store;

/// <summary>
/// How a <see cref="CallTrace"/> is kept in <c>call_trace.trace</c>: camelCase, defaults left out, so a call's document
/// stays small. Written by generated code: the reflection-based serializer boxed every event of every call.
/// </summary>
internal static class TraceJson
{
    public static string? Write(CallTrace? trace) => trace is null ? null : JsonSerializer.Serialize(trace, TraceJsonContext.Default.CallTrace);

    public static CallTrace Read(string json) =>
        JsonSerializer.Deserialize(json, TraceJsonContext.Default.CallTrace) ?? throw new JsonException("a call trace is null");
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(CallTrace))]
internal sealed partial class TraceJsonContext : JsonSerializerContext;
