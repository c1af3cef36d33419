using System.Globalization;
using System.Net;
using Ivr.CallFlow;
using Ivr.FastAgi;
using Ivr.Store;
using Microsoft.Extensions.Configuration;

namespace Ivr.Cli.Configuration;

/// <summary>
/// Typed reads of the configuration keys the README lists, each failing with one line that names the setting
/// and its environment variable.
/// </summary>
public static class IvrSettings
{
    public const int DefaultAgiPort = 4573;

    public static string Database(IConfiguration configuration) =>
        NonEmpty(configuration["Database"]) ?? throw new ConfigurationProblem("IVR_DATABASE is not set: give the Npgsql connection string of the credential store");

    public static PasswordHashingOptions Hashing(IConfiguration configuration)
    {
        var pepper = NonEmpty(configuration["Pepper"]);
        if (pepper is null && NonEmpty(configuration["PepperFile"]) is { } file)
        {
            try
            {
                pepper = File.ReadAllText(file).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationProblem($"IVR_PEPPER_FILE {file} cannot be read: {e.Message}");
            }
        }
        if (pepper is null)
        {
            throw new ConfigurationProblem("IVR_PEPPER is not set: give base64 of at least 32 random bytes, or IVR_PEPPER_FILE naming a file that holds it");
        }
        try
        {
            var options = PasswordHashingOptions.FromBase64(pepper, configuration["PreviousPeppers"],
                Number(configuration, "HashIterations", "IVR_HASH_ITERATIONS", PasswordHashingOptions.DefaultIterations));
            options.MaxConcurrentHashes = Number(configuration, "HashConcurrency", "IVR_HASH_CONCURRENCY", options.MaxConcurrentHashes);
            return PasswordHashingOptionsValidator.FindProblem(options) is { } problem ? throw new ArgumentException(problem) : options;
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationProblem(e.Message);
        }
    }

    public static IPEndPoint Listen(IConfiguration configuration) =>
        EndPoint(configuration["Listen"] ?? $"127.0.0.1:{DefaultAgiPort}", "IVR_LISTEN");

    /// <summary>Parses <c>host:port</c> (<c>[::1]:4573</c> for IPv6); a name such as <c>localhost</c> is resolved.</summary>
    public static IPEndPoint EndPoint(string text, string setting)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new ConfigurationProblem($"{setting} '{text}' must be host:port, for example 127.0.0.1:{DefaultAgiPort}");
        }
        var host = text[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }
        try
        {
            return new IPEndPoint(Dns.GetHostAddresses(host).First(), port);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or InvalidOperationException or ArgumentException)
        {
            throw new ConfigurationProblem($"{setting} '{text}': the host {host} cannot be resolved");
        }
    }

    public static FastAgiLimits Limits(IConfiguration configuration)
    {
        try
        {
            return new FastAgiLimits { AllowedPeers = PeerAllowList.Parse(configuration["AgiAllow"] ?? "127.0.0.1/8,::1") };
        }
        catch (FormatException)
        {
            throw new ConfigurationProblem($"IVR_AGI_ALLOW '{configuration["AgiAllow"]}' must be comma-separated addresses or CIDR networks");
        }
    }

    public static CallFlowOptions CallFlow(IConfiguration configuration)
    {
        try
        {
            return new CallFlowOptions { InputTimeout = Duration(configuration, "InputTimeout", "IVR_INPUT_TIMEOUT", TimeSpan.FromSeconds(10)) }.Validate();
        }
        catch (System.ComponentModel.DataAnnotations.ValidationException e)
        {
            throw new ConfigurationProblem($"IVR_INPUT_TIMEOUT: {e.Message}");
        }
    }

    /// <summary>The settings website's settings: <c>Web:Listen</c>, <c>Web:IdleTimeout</c>, <c>Web:SetupNumber</c>.</summary>
    public static Ivr.Web.WebsiteOptions Website(IConfiguration configuration)
    {
        var defaults = new Ivr.Web.WebsiteOptions();
        return new Ivr.Web.WebsiteOptions
        {
            Listen = configuration["Web:Listen"] is { } listen ? EndPoint(listen, "IVR_WEB__LISTEN") : defaults.Listen,
            IdleTimeout = Duration(configuration, "Web:IdleTimeout", "IVR_WEB__IDLE_TIMEOUT", defaults.IdleTimeout),
            SetupNumber = NonEmpty(configuration["Web:SetupNumber"]) ?? defaults.SetupNumber,
            LoginAttemptsPerMinute = Number(configuration, "Web:LoginAttemptsPerMinute", "IVR_WEB__LOGIN_ATTEMPTS_PER_MINUTE", defaults.LoginAttemptsPerMinute),
        };
    }

    /// <summary>The shared secret the server asks Asterisk for (<c>ENV(IVR_AGI_KEY)</c> in its environment); null when calls need none.</summary>
    public static string? CallKey(IConfiguration configuration) =>
        NonEmpty(configuration["AgiKey"]) is not { } key ? null
        : key.Length >= 16 ? key
        : throw new ConfigurationProblem("IVR_AGI_KEY must be at least 16 characters");

    public static TimeSpan ShutdownGracePeriod(IConfiguration configuration) =>
        Duration(configuration, "ShutdownGracePeriod", "IVR_SHUTDOWN_GRACE_PERIOD", TimeSpan.FromSeconds(30));

    private static TimeSpan Duration(IConfiguration configuration, string key, string setting, TimeSpan fallback) =>
        NonEmpty(configuration[key]) is not { } text ? fallback
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero ? value
        : throw new ConfigurationProblem($"{setting} '{text}' must be a positive duration such as 00:00:10");

    private static int Number(IConfiguration configuration, string key, string setting, int fallback) =>
        NonEmpty(configuration[key]) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ConfigurationProblem($"{setting} '{text}' must be a whole number");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
