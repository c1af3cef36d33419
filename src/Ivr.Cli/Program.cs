using Ivr.Cli;
using Ivr.Cli.Configuration;

var context = new CliContext(Console.Out, Console.Error, Console.In, IvrConfiguration.Load());
return await IvrCommandLine.InvokeAsync(args, context);
