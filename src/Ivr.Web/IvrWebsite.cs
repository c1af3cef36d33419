using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using Ivr.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ivr.Web;

/// <summary>
/// The settings website: login with the phone number and the temporary password, the forced change, the top page.
/// Every rule is the store's <see cref="WebsiteLogin"/>, the same code as <c>ivr credentials verify</c>.
/// </summary>
public static class IvrWebsite
{
    public const string LoginRateLimit = "login";

    public static WebApplication Build(WebsiteLogin login, AuthenticationUnits units, WebsiteOptions options, TimeProvider time, Action<ILoggingBuilder> configureLogging)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(IvrWebsite).Assembly.GetName().Name });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        configureLogging(builder.Logging);
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Listen);
        });

        builder.Services.AddSingleton(login);
        builder.Services.AddSingleton(units);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(time);
        // Japanese stays readable in the page source instead of becoming &#x...; entities.
        builder.Services.AddWebEncoders(encoders => encoders.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/");
            pages.Conventions.AllowAnonymousToPage("/Login");
        });
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = "ivr-session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = options.IdleTimeout;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/Login";
            cookie.LogoutPath = "/Logout";
            cookie.TimeProvider = time;
            // A subscriber who must change the password reaches only the change page until they do.
            cookie.Events.OnValidatePrincipal = context =>
            {
                var path = context.Request.Path;
                if (context.Principal?.HasClaim(c => c.Type == Claims.MustChangePassword) == true
                    && !path.StartsWithSegments("/ChangePassword") && !path.StartsWithSegments("/Logout"))
                {
                    context.Response.Redirect("/ChangePassword");
                }
                return Task.CompletedTask;
            };
        });
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "ivr-antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Only attempts are limited: showing the login page costs no password check.
            limiter.AddPolicy(LoginRateLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.LoginAttemptsPerMinute, Window = TimeSpan.FromMinutes(1) })
                : RateLimitPartition.GetNoLimiter("page"));
        });

        var app = builder.Build();
        // Behind a TLS-terminating proxy on this host (the only proxies trusted by default are loopback ones), the
        // browser's scheme makes the cookies Secure and the browser's address is the one rate-limited and audited.
        app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto });
        app.Use(SecurityHeaders);
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        return app;
    }

    /// <summary>Signs the subscriber in; a temporary or expired password lets them reach only the change page.</summary>
    public static Task SignInAsync(HttpContext context, string login, bool mustChangePassword)
    {
        var claims = new List<Claim> { new(Claims.Login, login) };
        if (mustChangePassword)
        {
            claims.Add(new Claim(Claims.MustChangePassword, "true"));
        }
        var identity = new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, Claims.Login, null);
        return context.SignInAsync(new ClaimsPrincipal(identity));
    }

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'; form-action 'self'";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Frame-Options"] = "DENY";
        // The values antiforgery itself requires, so it need not override them.
        headers["Cache-Control"] = "no-cache, no-store";
        headers["Pragma"] = "no-cache";
        return next();
    }
}
