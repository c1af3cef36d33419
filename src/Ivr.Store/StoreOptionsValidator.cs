using Microsoft.Extensions.Options;
using Npgsql;

namespace Ivr.Store;

/// <summary>Checks <see cref="StoreOptions"/>; the problem is one line naming the environment variable to fix.</summary>
public sealed class StoreOptionsValidator : IValidateOptions<StoreOptions>
{
    public ValidateOptionsResult Validate(string? name, StoreOptions options) =>
        FindProblem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    /// <summary>The first problem, or null when the options are usable.</summary>
    public static string? FindProblem(StoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return "IVR_DATABASE is not set: give the Npgsql connection string of the credential store";
        }
        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            return $"IVR_DATABASE is not a valid Npgsql connection string: {e.Message.Split('\n', 2)[0].Trim()}";
        }
        return options.StepDeadline is { TotalMilliseconds: >= 100 } and { TotalMinutes: <= 1 } ? null
            : $"IVR_DATABASE_DEADLINE '{options.StepDeadline}' must be between 00:00:00.1 and 00:01:00";
    }
}
