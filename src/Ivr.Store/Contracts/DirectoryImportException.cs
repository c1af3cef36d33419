namespace Ivr.Store;

/// <summary>An import refused whole because of what is already in the directory; the message is one line.</summary>
public sealed class DirectoryImportException(string message) : Exception(message);
