namespace Ivr.Store;

/// <summary>A directory file that cannot be imported; the message is one line naming the line and the problem.</summary>
public sealed class DirectoryCsvException(string message) : Exception(message);
