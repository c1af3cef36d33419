using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using Ivr.Hosting;
using Ivr.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ivr.Web;

/// <summary>
/// The settings website: login with the phone number and the temporary password, the forced change, the top page.
/// Every rule is the store's <see cref="WebsiteLogin"/>, the same code as <c>ivr credentials verify</c>.
/// </summary>
public static class IvrWebsite
{
    public const string LoginRateLimit = "login";

    /// <summary>The configuration section of the website's options (<c>IVR_WEB__…</c>).</summary>
    public const string ConfigurationSection = "Web";

    /// <summary>Data Protection isolates applications by this name: every instance must use the same, whatever its path.</summary>
    public const string ApplicationName = "ivr-settings-website";

    /// <summary>
    /// The website over <paramref name="configuration"/>: its own options from the section <c>Web</c>, the store
    /// composed as every program composes it, and the operations endpoints. <paramref name="configureServices"/>
    /// runs first (a test's fake clock replaces the system's).
    /// </summary>
    /// <exception cref="OptionsValidationException">The website's options are not usable (one-line message).</exception>
    public static WebApplication Build(
        IConfiguration configuration, Action<ILoggingBuilder>? configureLogging = null, Action<IServiceCollection>? configureServices = null)
    {
        // Bound and checked here, once: Kestrel, the cookies and the rate limiter are configured from them below.
        var options = configuration.GetSection(ConfigurationSection).Get<WebsiteOptions>() ?? new WebsiteOptions();
        if (WebsiteOptionsValidator.FindProblem(options) is { } problem)
        {
            throw new OptionsValidationException(nameof(WebsiteOptions), typeof(WebsiteOptions), [problem]);
        }
        var keyRingKey = KeyRingKey.Decode(options.ResolveKeyRingKey())!;
        var builder = IvrHosting.CreateBuilder(configuration, configureLogging, typeof(IvrWebsite).Assembly.GetName().Name, contentRoot: null);
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.ListenEndPoint));

        configureServices?.Invoke(builder.Services);
        builder.Services.AddIvrStore(configuration);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton<WebsiteMetrics>();
        builder.Services.AddSingleton(keyRingKey);
        builder.AddOperations(_ => options.OperationsEndPoint);
        // Registered before Data Protection's own start-up service, which reads the ring (and makes a key when it
        // finds none usable): this one must first refuse a wrong key ring key, and make the first key under a lock.
        builder.Services.AddHostedService<KeyRingStartup>();
        // One key ring for every instance and every restart, in the shared database, its secrets encrypted at rest.
        builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        builder.Services.AddOptions<KeyManagementOptions>().Configure<WebsiteKeyRing>((keys, keyRing) =>
        {
            keys.XmlRepository = new KeyRingRepository(keyRing);
            keys.XmlEncryptor = new KeyRingEncryptor(keyRingKey);
        });
        // Japanese stays readable in the page source instead of becoming &#x...; entities.
        builder.Services.AddWebEncoders(encoders => encoders.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/");
            pages.Conventions.AllowAnonymousToPage("/Login");
        });

        // Over HTTPS only, `__Host-` names (RFC 6265bis §4.1.3.2): a browser keeps such a cookie only if it is Secure,
        // has no Domain and has Path=/, so no sibling host and no plain-HTTP page can plant or overwrite it.
        var cookiePrefix = options.HttpsOnly ? "__Host-" : "";
        var securePolicy = options.HttpsOnly ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        void Harden(CookieBuilder cookie, string name)
        {
            cookie.Name = cookiePrefix + name;
            cookie.HttpOnly = true;
            cookie.SameSite = SameSiteMode.Strict;
            cookie.SecurePolicy = securePolicy;
            cookie.Path = "/";
        }
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            Harden(cookie.Cookie, "ivr-session");
            cookie.ExpireTimeSpan = options.IdleTimeout;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/Login";
            cookie.LogoutPath = "/Logout";
            cookie.Events.OnSigningIn = context =>
            {
                context.HttpContext.RequestServices.GetRequiredService<WebsiteMetrics>().SessionStarted();
                return Task.CompletedTask;
            };
            cookie.Events.OnValidatePrincipal = ValidateSessionAsync;
        });
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery(antiforgery => Harden(antiforgery.Cookie, "ivr-antiforgery"));
        builder.Services.Configure<CookieTempDataProviderOptions>(tempData => Harden(tempData.Cookie, "ivr-notice"));
        builder.Services.AddRateLimiter(limiter =>
        {
            // Only attempts are limited: showing a page costs no password check.
            limiter.AddPolicy(LoginRateLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.LoginAttemptsPerMinute, Window = TimeSpan.FromMinutes(1) })
                : RateLimitPartition.GetNoLimiter("page"));
            limiter.OnRejected = (context, cancellationToken) =>
            {
                context.HttpContext.RequestServices.GetRequiredService<WebsiteMetrics>().RateLimited();
                return TooManyAttemptsPage.WriteAsync(context.HttpContext, context.Lease, options.SetupNumber, cancellationToken);
            };
        });

        // The cookie's clock is the host's, a test's fake one included.
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<TimeProvider>((cookie, time) => cookie.TimeProvider = time);

        var app = builder.Build();
        app.MapOperations();
        // Behind a trusted TLS-terminating proxy (loopback by default, IVR_WEB__TRUSTED_PROXIES otherwise), the
        // browser's scheme makes the cookies Secure and the browser's address is the one rate-limited and audited.
        // Anyone else's forwarded headers are ignored.
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in options.TrustedProxyNetworks)
        {
            forwarded.KnownIPNetworks.Add(proxy);
        }
        app.UseForwardedHeaders(forwarded);
        app.Use(SecurityHeaders);
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// Signs the subscriber in, bound to the credential's session stamp; a temporary or expired password lets them
    /// reach only the change page.
    /// </summary>
    public static Task SignInAsync(HttpContext context, string login, Guid sessionStamp, bool mustChangePassword)
    {
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var claims = new List<Claim>
        {
            new(Claims.Login, login),
            new(Claims.SessionStamp, sessionStamp.ToString()),
            new(Claims.SignedInAt, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        };
        if (mustChangePassword)
        {
            claims.Add(new Claim(Claims.MustChangePassword, "true"));
        }
        var identity = new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, Claims.Login, null);
        return context.SignInAsync(new ClaimsPrincipal(identity));
    }

    // Every request with a session cookie: the session lives only while its credential's stamp is the one it carries
    // (one read by primary key) and within its lifetime; otherwise it ends here, on the server, and the cookie with it.
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var options = services.GetRequiredService<WebsiteOptions>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var principal = context.Principal!;
        var live = principal.FindFirst(Claims.Login)?.Value is { } login
            && Guid.TryParse(principal.FindFirst(Claims.SessionStamp)?.Value, out var stamp)
            && long.TryParse(principal.FindFirst(Claims.SignedInAt)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var signedInAt)
            && now < DateTimeOffset.FromUnixTimeSeconds(signedInAt) + options.SessionLifetime
            && await services.GetRequiredService<WebsiteLogin>().IsSessionLiveAsync(login, stamp, context.HttpContext.RequestAborted);
        if (!live)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        // A subscriber who must change the password reaches only the change page until they do.
        var path = context.Request.Path;
        if (principal.HasClaim(c => c.Type == Claims.MustChangePassword)
            && !path.StartsWithSegments("/ChangePassword") && !path.StartsWithSegments("/Logout"))
        {
            context.Response.Redirect("/ChangePassword");
        }
    }

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Frame-Options"] = "DENY";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        // The values antiforgery itself requires, so it need not override them.
        headers["Cache-Control"] = "no-cache, no-store";
        headers["Pragma"] = "no-cache";
        if (context.Request.IsHttps)
        {
            // The browser then refuses plain HTTP to this host for a year; RFC 6797 §8.1 has it ignored over plain HTTP.
            headers["Strict-Transport-Security"] = "max-age=31536000";
        }
        return next();
    }
}
