namespace Ivr.Cli;

/// <summary>The exit codes of <c>ivr</c>, so scripts can tell a failed check from a broken invocation.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and its answer is "no": a scenario failed, a password was wrong, a row was not found.</summary>
    public const int Failed = 1;

    /// <summary>A missing or malformed argument, option or file.</summary>
    public const int Usage = 2;

    /// <summary>Configuration is missing or wrong (database, pepper, listen address).</summary>
    public const int Configuration = 3;

    /// <summary>The database or the FastAGI server could not be reached.</summary>
    public const int Unavailable = 4;
}
