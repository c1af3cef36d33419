using Stateless.Graph;

namespace Ivr.CallFlow;

/// <summary>
/// The call flow's graph, exported from the machine itself (never drawn by hand), so the picture in the README
/// cannot drift from the code: <c>docs/call-flow.dot</c> and the Mermaid text of <c>docs/call-flow.md</c>.
/// </summary>
public static class CallFlowGraph
{
    public static string ToDot() => UmlDotGraph.Format(CallFlowMachine.GetInfo());

    public static string ToMermaid() => MermaidGraph.Format(CallFlowMachine.GetInfo(), MermaidGraphDirection.LeftToRight);

    /// <summary>The Markdown page GitHub renders: a short legend and the Mermaid graph.</summary>
    public static string ToMarkdown() => $"""
        # Call flow

        Exported from the call flow's Stateless machine (`CallFlowMachine`) by `./ivr docs call-flow` (a test fails when this page is stale).
        States are where a call is; arrows are what happened, with their guards; entry actions name the prompts
        played. Every state inside `InCall` can end with `CallerHungUp` or `SystemFailed`. See SPEC §2–3.

        ```mermaid
        {ToMermaid().TrimEnd()}
        ```

        """;
}
