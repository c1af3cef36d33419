using System.CommandLine;
using Ivr.CallFlow;

namespace Ivr.Cli.Commands;

/// <summary><c>ivr docs call-flow</c>: writes the state machine's graph, as DOT and as Mermaid, from the machine itself.</summary>
internal static class DocsCallFlowCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<DirectoryInfo>("--output") { Description = "The folder to write into.", DefaultValueFactory = _ => new DirectoryInfo("docs") };
        var command = new Command("call-flow", "Export the call flow's graph to call-flow.dot and call-flow.md.") { output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var folder = parseResult.GetValue(output)!;
            folder.Create();
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "call-flow.dot"), CallFlowGraph.ToDot(), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "call-flow.md"), CallFlowGraph.ToMarkdown(), cancellationToken);
            await context.Output.WriteLineAsync($"wrote {Path.Combine(folder.FullName, "call-flow.dot")} and call-flow.md; render the SVG with scripts/render-call-flow.sh");
            return ExitCodes.Success;
        });
        return command;
    }
}
