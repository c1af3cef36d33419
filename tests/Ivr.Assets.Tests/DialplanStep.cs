namespace Ivr.Assets.Tests;

/// <summary>One priority of a dialplan extension: <c>exten => s,1,Answer()</c> or <c>same => n,Playback(file)</c>.</summary>
internal sealed record DialplanStep(string Extension, string Application, string Arguments)
{
    /// <summary>A context's steps in order; <c>same</c> lines continue the extension above them.</summary>
    public static IReadOnlyList<DialplanStep> Of(AsteriskSection context)
    {
        var steps = new List<DialplanStep>();
        var extension = "";
        foreach (var (key, value) in context.Entries.Where(entry => entry.Key is "exten" or "same"))
        {
            var parts = value.Split(',', key == "exten" ? 3 : 2);
            if (key == "exten")
            {
                extension = parts[0];
            }
            var call = parts[^1];
            var open = call.IndexOf('(', StringComparison.Ordinal);
            steps.Add(open < 0
                ? new DialplanStep(extension, call, "")
                : new DialplanStep(extension, call[..open], call[(open + 1)..call.LastIndexOf(')')]));
        }
        return steps;
    }
}
