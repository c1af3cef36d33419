using Ivr.CallFlow;
using Ivr.Testing;

namespace Ivr.CallFlow.Tests;

/// <summary>The committed pictures of the call flow are the machine's own export: regenerate with <c>./ivr docs call-flow</c>.</summary>
public class CallFlowGraphTests
{
    [Test]
    public void Docs_call_flow_dot_is_the_machines_current_graph() =>
        Assert.That(File.ReadAllText(Docs("call-flow.dot")), Is.EqualTo(CallFlowGraph.ToDot()),
            "docs/call-flow.dot is stale: run ./ivr docs call-flow and scripts/render-call-flow.sh");

    [Test]
    public void Docs_call_flow_md_is_the_machines_current_graph() =>
        Assert.That(File.ReadAllText(Docs("call-flow.md")), Is.EqualTo(CallFlowGraph.ToMarkdown()),
            "docs/call-flow.md is stale: run ./ivr docs call-flow");

    [Test]
    public void The_rendered_picture_exists_for_the_readme() =>
        Assert.That(File.ReadAllText(Docs("call-flow.svg")), Does.Contain("<svg").And.Contain("ConfirmingPassword"));

    [Test]
    public void The_graph_names_every_state_in_domain_words()
    {
        var dot = CallFlowGraph.ToDot();

        foreach (var state in Enum.GetNames<CallState>())
        {
            Assert.That(dot, Does.Contain(state));
        }
        Assert.That(dot, Does.Contain("third bad input").And.Contain("select-unit").And.Not.Contain("Function"));
    }

    private static string Docs(string file) => Path.Combine(RepositoryPaths.Root, "docs", file);
}
