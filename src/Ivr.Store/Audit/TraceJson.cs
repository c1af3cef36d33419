using System.Buffers;
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
    public static CallTrace Read(string json) =>
        JsonSerializer.Deserialize(json, TraceJsonContext.Default.CallTrace) ?? throw new JsonException("a call trace is null");
}

/// <summary>
/// A batch's traces as one UTF-8 JSON array, an element per row in order, for <see cref="AuditLog"/>'s insert. The
/// buffer is kept from batch to batch: the traces' one writer writes one batch at a time.
/// </summary>
internal sealed class TraceBatchJson
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _writer;

    public TraceBatchJson() => _writer = new Utf8JsonWriter(_buffer);

    /// <summary>The rows' traces; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Write(IReadOnlyList<CallRecord> rows)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartArray();
        foreach (var row in rows)
        {
            JsonSerializer.Serialize(_writer, row.Trace ?? throw new ArgumentException($"call {row.CallId} has no trace", nameof(rows)), TraceJsonContext.Default.CallTrace);
        }
        _writer.WriteEndArray();
        _writer.Flush();
        return _buffer.WrittenMemory;
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(CallTrace))]
internal sealed partial class TraceJsonContext : JsonSerializerContext;
