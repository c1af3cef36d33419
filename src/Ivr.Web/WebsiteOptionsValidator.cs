using Microsoft.Extensions.Options;

namespace Ivr.Web;

/// <summary>Checks <see cref="WebsiteOptions"/> at start; each problem is one line naming the environment variable to fix.</summary>
public static class WebsiteOptionsValidator
{
    /// <summary>The first problem, or null when the options are usable.</summary>
    public static string? FindProblem(WebsiteOptions options) =>
        KeyRingKey.Decode(options.KeyRingKey) is null
            ? $"IVR_WEB__KEY_RING_KEY must be base64 of at least {KeyRingKey.MinimumBytes} random bytes (or IVR_WEB__KEY_RING_KEY_FILE a file holding it): head -c 32 /dev/urandom | base64"
        : options.LoginAttemptsPerMinute < 1 ? "IVR_WEB__LOGIN_ATTEMPTS_PER_MINUTE must be at least 1"
        : options.IdleTimeout > options.SessionLifetime ? "IVR_WEB__IDLE_TIMEOUT must not be longer than IVR_WEB__SESSION_LIFETIME"
        : null;

    /// <summary>Throws <see cref="OptionsValidationException"/> (one-line message) when the options are not usable.</summary>
    public static void ThrowIfInvalid(WebsiteOptions options)
    {
        if (FindProblem(options) is { } problem)
        {
            throw new OptionsValidationException(nameof(WebsiteOptions), typeof(WebsiteOptions), [problem]);
        }
    }
}
