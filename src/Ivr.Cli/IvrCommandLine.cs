using System.CommandLine;
using Ivr.Cli.Commands;
using Ivr.Lab.Scenarios;
using Ivr.Store;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ivr.Cli;

/// <summary>The <c>ivr</c> command tree (SPEC §6), and the one place where failures become one-line errors and exit codes.</summary>
public static class IvrCommandLine
{
    public static RootCommand Create(CliContext context) => new("Temporary-password IVR: FastAGI server, credential store and lab tools.")
    {
        ServeCommand.Create(context),
        HealthCommand.Create(context),
        WebCommand.Create(context),
        new Command("db", "The credential store's schema.") { DbMigrateCommand.Create(context) },
        new Command("directory", "The contract directory.") { DirectoryImportCommand.Create(context) },
        new Command("credentials", "Credentials as the settings website sees them.")
        {
            CredentialsShowCommand.Create(context),
            CredentialsVerifyCommand.Create(context),
        },
        new Command("audit", "The audit trail, one row per call.")
        {
            AuditShowCommand.Create(context),
            AuditTailCommand.Create(context),
        },
        new Command("lab", "Play Asterisk's part against a running server, over FastAGI.")
        {
            LabCallCommand.Create(context),
            LabReplayCommand.Create(context),
            LabTraceCommand.Create(context),
            LabLoadCommand.Create(context),
        },
        new Command("docs", "Regenerate documentation made from the code.") { DocsCallFlowCommand.Create(context) },
    };

    /// <summary>Parses and runs one command line; never throws and never prints a stack trace.</summary>
    public static async Task<int> InvokeAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var parseResult = Create(context).Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            await context.Error.WriteLineAsync($"ivr: {parseResult.Errors[0].Message}");
            return ExitCodes.Usage;
        }
        try
        {
            return await parseResult.InvokeAsync(
                new InvocationConfiguration
                {
                    Output = context.Output,
                    Error = context.Error,
                    EnableDefaultExceptionHandler = false,
                    // `ivr serve` lets the host own Ctrl+C and SIGTERM; other commands end with the process.
                    ProcessTerminationTimeout = null,
                },
                cancellationToken);
        }
        catch (Exception e) when (OneLineError(e) is var (code, message))
        {
            await context.Error.WriteLineAsync($"ivr: {message}");
            return code;
        }
    }

    private static (int Code, string Message)? OneLineError(Exception e) => e switch
    {
        // A host wraps a failed start-up check; its first failure is the one line that names the setting.
        OptionsValidationException options => (ExitCodes.Configuration, options.Failures.FirstOrDefault() ?? options.Message),
        AggregateException { InnerExceptions: [OptionsValidationException options] } => (ExitCodes.Configuration, options.Failures.FirstOrDefault() ?? options.Message),
        ScenarioFileException => (ExitCodes.Usage, e.Message),
        UsageProblem or DirectoryImportException => (ExitCodes.Usage, e.Message),
        Ivr.Web.KeyRingKeyException => (ExitCodes.Configuration, e.Message),
        OperationCanceledException => (ExitCodes.Failed, "cancelled"),
        PostgresException pg => (ExitCodes.Unavailable, $"the database refused: {pg.MessageText} ({pg.SqlState})"),
        NpgsqlException npgsql => (ExitCodes.Unavailable, $"the database cannot be reached: {FirstLine(npgsql.InnerException?.Message ?? npgsql.Message)}"),
        System.Net.Sockets.SocketException socket => (ExitCodes.Unavailable, $"the FastAGI server cannot be reached: {socket.Message}"),
        HttpRequestException http => (ExitCodes.Unavailable, $"the server's operations listener cannot be reached: {FirstLine(http.Message)}"),
        IOException io => (ExitCodes.Failed, FirstLine(io.Message)),
        _ => (ExitCodes.Failed, $"unexpected {e.GetType().Name}: {FirstLine(e.Message)}"),
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
