namespace Ivr.FastAgi;

/// <summary>A FastAGI script: what runs when Asterisk calls <c>agi://host:port/&lt;Path&gt;</c>.</summary>
public interface IAgiScript
{
    /// <summary>The script path it answers, e.g. <c>temp-password</c>.</summary>
    string Path { get; }

    /// <summary>
    /// Runs one call. <paramref name="stopping"/> is cancelled when the server's shutdown grace period is over.
    /// <paramref name="session"/> is the script's until the returned task ends; then it may serve another call.
    /// </summary>
    Task RunAsync(AgiSession session, CancellationToken stopping);
}
