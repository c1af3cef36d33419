namespace Ivr.Lab.Scenarios;

/// <summary>A scenario file that cannot be read; the message is one line naming the file and the problem.</summary>
public sealed class ScenarioFileException(string message) : Exception(message);
