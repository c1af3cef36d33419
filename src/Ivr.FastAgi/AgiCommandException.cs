namespace Ivr.FastAgi;

/// <summary>
/// A command failed on a live channel: <c>result=-1</c> with no hang-up (a missing prompt file), <c>503</c>
/// (Asterisk's failure), or <c>510</c>/<c>520</c> (a command we got wrong).
/// </summary>
public sealed class AgiCommandException(string command, string? file, AgiReply reply)
    : Exception(file is null ? $"{command} failed: {reply.Describe()}" : $"{command} {file} failed: {reply.Describe()}")
{
    /// <summary>The command's verb, e.g. <c>STREAM FILE</c>.</summary>
    public string Command { get; } = command;

    /// <summary>The prompt file the command played, when it played one.</summary>
    public string? File { get; } = file;

    public AgiReply Reply { get; } = reply;
}
