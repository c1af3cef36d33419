using Ivr.Cli;
using Ivr.Hosting;

var context = new CliContext(Console.Out, Console.Error, Console.In, IvrConfiguration.Load());
return await IvrCommandLine.InvokeAsync(args, context);
