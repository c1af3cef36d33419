using Ivr.Cli;
using Microsoft.Extensions.Configuration;

namespace Ivr.Testing;

/// <summary>Runs an <c>ivr</c> command line in-process, as the program would, capturing what it prints.</summary>
public static class IvrProgram
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IConfiguration configuration, string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await IvrCommandLine.InvokeAsync(args, new CliContext(output, error, new StringReader(input), configuration));
        return (exitCode, output.ToString(), error.ToString());
    }
}
