using Ivr.Hosting;
using Microsoft.Extensions.Options;

namespace Ivr.Web;

/// <summary>Checks <see cref="WebsiteOptions"/>; each problem is one line naming the environment variable to fix.</summary>
public sealed class WebsiteOptionsValidator : IValidateOptions<WebsiteOptions>
{
    public ValidateOptionsResult Validate(string? name, WebsiteOptions options) =>
        FindProblem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    /// <summary>The first problem, or null when the options are usable.</summary>
    public static string? FindProblem(WebsiteOptions options)
    {
        if (EndPoints.TryParse(options.Listen, "IVR_WEB__LISTEN", out var listenProblem) is null)
        {
            return listenProblem;
        }
        try
        {
            _ = options.OperationsEndPoint;
        }
        catch (FormatException e)
        {
            return e.Message; // EndPoints names the setting
        }
        try
        {
            _ = options.TrustedProxyNetworks;
        }
        catch (FormatException)
        {
            return $"IVR_WEB__TRUSTED_PROXIES '{options.TrustedProxies}' must be comma-separated addresses or CIDR networks";
        }
        string? key;
        try
        {
            key = options.ResolveKeyRingKey();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"IVR_WEB__KEY_RING_KEY_FILE {options.KeyRingKeyFile} cannot be read: {e.Message}";
        }
        return Ivr.Web.KeyRingKey.Decode(key) is null
            ? $"IVR_WEB__KEY_RING_KEY must be base64 of at least {Ivr.Web.KeyRingKey.MinimumBytes} random bytes (or IVR_WEB__KEY_RING_KEY_FILE a file holding it): head -c 32 /dev/urandom | base64"
            : options.LoginAttemptsPerMinute < 1 ? "IVR_WEB__LOGIN_ATTEMPTS_PER_MINUTE must be at least 1"
            : options.IdleTimeout <= TimeSpan.Zero ? "IVR_WEB__IDLE_TIMEOUT must be positive"
            : options.IdleTimeout > options.SessionLifetime ? "IVR_WEB__IDLE_TIMEOUT must not be longer than IVR_WEB__SESSION_LIFETIME"
            : null;
    }
}
