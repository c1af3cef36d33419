namespace Ivr.Cli;

/// <summary>A command used wrongly in a way the parser cannot see (an unreadable file, a bad value); one line.</summary>
public sealed class UsageProblem(string message) : Exception(message);
