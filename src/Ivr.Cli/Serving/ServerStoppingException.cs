namespace Ivr.Cli.Serving;

/// <summary>The server is stopping and the call's grace period is over: the call ends with <c>system-error</c>.</summary>
public sealed class ServerStoppingException() : Exception("the server is stopping");
