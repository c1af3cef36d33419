using System.Text;

namespace Ivr.Sip.Tests.Support;

/// <summary>
/// Asterisk's log file (<c>messages.log</c>: notices, warnings, errors, DTMF and verbose up to level 5), read as
/// it grows. Tests search it by line index: a call's lines are the ones after the index where it began.
/// </summary>
internal sealed class AsteriskLog(string path)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly List<string> _lines = [];
    private readonly StringBuilder _partial = new();
    private long _position;

    public string Path { get; } = path;

    /// <summary>Every complete line so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                Refresh();
                return [.. _lines];
            }
        }
    }

    public int Count => Lines.Count;

    /// <summary>The index of the first line at or after <paramref name="from"/> that matches, waiting for it.</summary>
    public async Task<int> WaitForAsync(int from, Func<string, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var lines = Lines;
            for (var i = from; i < lines.Count; i++)
            {
                if (match(lines[i]))
                {
                    return i;
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new AssertionException($"Asterisk did not log {what} within {timeout.TotalSeconds} s (see {Path})");
            }
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>
    /// The lines at or after <paramref name="from"/> that match, once no new one has come for <paramref name="quiet"/>
    /// (at most 10 s): Asterisk's logger thread writes a call's lines after the call has been answered or refused.
    /// </summary>
    public async Task<IReadOnlyList<string>> SettledAsync(int from, Func<string, bool> match, TimeSpan quiet)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var matched = new List<string>();
        var lastChange = DateTime.UtcNow;
        while (DateTime.UtcNow - lastChange < quiet && DateTime.UtcNow < deadline)
        {
            await Task.Delay(PollInterval);
            var now = Lines.Skip(from).Where(match).ToList();
            if (now.Count != matched.Count)
            {
                (matched, lastChange) = (now, DateTime.UtcNow);
            }
        }
        return matched;
    }

    private void Refresh()
    {
        if (!File.Exists(Path))
        {
            return;
        }
        using var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        file.Seek(_position, SeekOrigin.Begin);
        using var reader = new StreamReader(file, Encoding.UTF8);
        var text = reader.ReadToEnd();
        _position = file.Position;
        _partial.Append(text);
        var complete = _partial.ToString();
        var end = complete.LastIndexOf('\n');
        if (end < 0)
        {
            return;
        }
        _lines.AddRange(complete[..end].Split('\n'));
        _partial.Remove(0, end + 1);
    }
}
