using System.Collections.Immutable;

namespace Ivr.CallFlow;

/// <summary>Where a trigger leads a call, and the steps the call carries out there, in order.</summary>
internal sealed record CallDecision(CallState Destination, ImmutableArray<CallStep> Steps);
