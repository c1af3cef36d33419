using System.Text.Json.Serialization;

namespace Ivr.Domain;

/// <summary>What one <see cref="CallTraceEvent"/> was: a prompt, a readback, one of the four inputs, or the server's hang-up.</summary>
/// <remarks>
/// Written as its domain word wherever it is JSON. The converter is the type's, not the <see cref="CallTraceEvent.Kind"/>
/// property's: a converter on a property keeps the source generator from writing the event directly, and the
/// serializer then boxed every event of every call's trace. One byte, not four: every open call holds its events, and
/// with a four-byte kind the runtime laid an event out in 56 bytes instead of 48 (CallTraceTests).
/// </remarks>
[JsonConverter(typeof(DomainWordConverter<CallTraceEventKind>))]
public enum CallTraceEventKind : byte
{
    /// <summary>A prompt played to the end (<c>STREAM FILE</c>).</summary>
    Played,

    /// <summary>A number read back digit by digit (<c>SAY DIGITS</c>).</summary>
    ReadBack,

    /// <summary>The unit menu's one key, at <c>select-unit</c>.</summary>
    MenuDigit,

    /// <summary>A number keyed at <c>enter-number</c>.</summary>
    Number,

    /// <summary>A temporary password's first entry: only its shape is kept.</summary>
    Password,

    /// <summary>A temporary password's confirmation: only its shape, and whether it matched the first entry.</summary>
    Confirmation,

    /// <summary>The server ended the call (<c>HANGUP</c>).</summary>
    HungUp,
}
