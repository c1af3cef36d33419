using System.Text.Json;
using System.Text.Json.Serialization;
using Ivr.Domain;

namespace Ivr.Domain.Tests;

public sealed class CallTraceTests
{
    private static readonly CallTrace Trace = new(
    [
        new(CallTraceEventKind.MenuDigit, TimeSpan.Zero, TimeSpan.FromSeconds(3), "temp-password/select-unit", "1", 1),
        new(CallTraceEventKind.Confirmation, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(4), "temp-password/confirm-password", Length: 8, Matched: false, BadInput: true),
        new(CallTraceEventKind.HungUp, TimeSpan.FromSeconds(20), TimeSpan.Zero, Interrupted: true),
    ]);

    // The disk spool (another issue) keeps call records as System.Text.Json: a trace must come back as it went.
    [Test]
    public void A_call_record_with_its_trace_round_trips_through_system_text_json()
    {
        var record = new CallRecord("1775034000.7", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(1), "0612345678", null, null,
            CallOutcome.TooManyErrors, "confirming-password", Trace: Trace);

        var json = JsonSerializer.Serialize(record);
        var back = JsonSerializer.Deserialize<CallRecord>(json)!;

        Assert.That(back.Trace!.Events, Is.EqualTo(Trace.Events));
        Assert.That(back with { Trace = Trace }, Is.EqualTo(record));
        Assert.That(json, Does.Contain("\"Kind\":\"menu-digit\"").And.Contain("\"Kind\":\"hung-up\""), "kinds are domain words");
    }

    // The store writes every call's trace through a generated context like this one: the generator must be able to
    // write an event directly (a converter on one of its properties would stop it, and every event would be boxed).
    [Test]
    public void An_event_takes_48_bytes()
    {
        // Every open call holds its events to its end, and the young collections copy them: with a four-byte kind the
        // runtime laid an event out in 56 bytes. A field added here should be weighed against that.
        Assert.That(System.Runtime.CompilerServices.Unsafe.SizeOf<CallTraceEvent>(), Is.LessThanOrEqualTo(48));
    }

    [Test]
    public void A_generated_context_writes_an_event_directly_with_its_kind_as_a_domain_word()
    {
        var events = TraceEventsContext.Default.CallTraceEvent;

        Assert.That(events.SerializeHandler, Is.Not.Null);
        Assert.That(JsonSerializer.Serialize(Trace.Events[0], events), Does.StartWith("{\"kind\":\"menu-digit\""));
    }

    [TestCase(CallTraceEventKind.ReadBack, "read-back")]
    [TestCase(CallTraceEventKind.MenuDigit, "menu-digit")]
    [TestCase(CallTraceEventKind.HungUp, "hung-up")]
    public void An_event_kind_is_a_domain_word(CallTraceEventKind kind, string word) => Assert.That(kind.ToName(), Is.EqualTo(word));
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(CallTraceEvent))]
internal sealed partial class TraceEventsContext : JsonSerializerContext;
