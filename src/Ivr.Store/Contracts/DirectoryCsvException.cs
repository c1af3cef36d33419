namespace Ivr.Store;

/// <summary>A directory CSV that cannot be imported. The message is one line: <c>line 7: kind must be main or additional, not 'primary'</c>.</summary>
public sealed class DirectoryCsvException(int lineNumber, string problem) : Exception($"line {lineNumber}: {problem}")
{
    /// <summary>The line of the file at fault, counting the header as line 1.</summary>
    public int LineNumber { get; } = lineNumber;
}
