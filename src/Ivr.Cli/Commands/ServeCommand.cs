using System.CommandLine;
using Ivr.Server;

namespace Ivr.Cli.Commands;

/// <summary><c>ivr serve</c>: the FastAGI server, until Ctrl+C or SIGTERM (then calls get their grace period).</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("serve", "Run the FastAGI server (IVR_LISTEN, default 127.0.0.1:4573).");
        command.SetAction(async (_, cancellationToken) =>
        {
            FastAgiHost.CompleteSocketsInline();
            await using var app = FastAgiHost.Build(context.Configuration, context.ConfigureLogging);
            await app.RunAsync();
            return ExitCodes.Success;
        });
        return command;
    }
}
