using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ivr.Cli.Commands;

/// <summary>How every command prints JSON: camelCase, one object per line, Japanese and '+' left readable.</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Line<T>(T value) => JsonSerializer.Serialize(value, Options);
}
