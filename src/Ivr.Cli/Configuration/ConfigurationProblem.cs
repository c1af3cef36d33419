namespace Ivr.Cli.Configuration;

/// <summary>Configuration that is missing or wrong; the message is one line naming the setting and its variable.</summary>
public sealed class ConfigurationProblem(string message) : Exception(message);
