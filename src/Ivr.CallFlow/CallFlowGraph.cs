using System.Diagnostics.Metrics;
using Ivr.Domain;
using Microsoft.Extensions.Logging.Abstractions;
using Stateless.Graph;

namespace Ivr.CallFlow;

/// <summary>
/// The call flow's graph, exported from the machine itself (never drawn by hand), so the picture in the README
/// cannot drift from the code: <c>docs/call-flow.dot</c> and the Mermaid text of <c>docs/call-flow.md</c>.
/// </summary>
public static class CallFlowGraph
{
    public static string ToDot() => UmlDotGraph.Format(Machine().GetInfo());

    public static string ToMermaid() => MermaidGraph.Format(Machine().GetInfo(), MermaidGraphDirection.LeftToRight);

    /// <summary>The Markdown page GitHub renders: a short legend and the Mermaid graph.</summary>
    public static string ToMarkdown() => $"""
        # Call flow

        Exported from `TemporaryPasswordCall` by `./ivr docs call-flow` (a test fails when this page is stale).
        States are where a call is; arrows are what happened, with their guards; entry actions name the prompts
        played. Every state inside `InCall` can end with `CallerHungUp` or `SystemFailed`. See SPEC §2–3.

        ```mermaid
        {ToMermaid().TrimEnd()}
        ```

        """;

    // A machine whose ports are never called: GetInfo reads the configuration only.
    private static TemporaryPasswordCall Machine()
    {
        var inert = new InertPorts();
        return new TemporaryPasswordCall(new IncomingCall("graph", null, null), inert, inert, inert, inert,
            new CallFlowOptions(), TimeProvider.System, NullLogger<TemporaryPasswordCall>.Instance, new CallFlowMetrics(inert));
    }

    private sealed class InertPorts : ICaller, IContractDirectory, ICredentialStore, IAuditLog, IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);
        public void Dispose() { }
        public Task<TemporaryPasswordHash> HashAsync(TemporaryPassword password, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task PlayAsync(PromptId prompt, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task SayDigitsAsync(string digits, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<CallerInput> AskAsync(PromptId prompt, TimeSpan timeout, int maxDigits, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task HangUpAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<CallerLine?> FindCallerLineAsync(string number, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> IsSubscribedNumberOfContractAsync(string contractId, string number, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<CommitResult> SetTemporaryPasswordAsync(TemporaryPasswordRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task WriteAsync(CallRecord record, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
