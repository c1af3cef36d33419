using Ivr.Domain;
using Ivr.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Ivr.Web.Pages;

/// <summary>Login with the phone number and the password (or the temporary password set by phone).</summary>
[EnableRateLimiting(IvrWebsite.LoginRateLimit)]
public sealed class LoginModel(WebsiteLogin login, WebsiteOptions options) : PageModel
{
    public string? Message { get; private set; }

    // Bound properties, not handler arguments: MVC logs a handler's arguments at Trace, and one is a password.
    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string SetupNumber => options.SetupNumber;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Phone = Phone?.Trim();
        var password = Password;
        Password = null;
        if (!string.IsNullOrEmpty(Phone) && !string.IsNullOrEmpty(password)
            && await login.LogInAsync(Phone, password, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken) is { SessionStamp: { } stamp } signedIn)
        {
            await IvrWebsite.SignInAsync(HttpContext, Phone, stamp, mustChangePassword: signedIn.Result != LoginResult.Ok);
            return signedIn.Result switch
            {
                LoginResult.Ok => RedirectToPage("/Index"),
                LoginResult.TemporaryOk => RedirectToPage("/ChangePassword"),
                // The password was right but is older than 60 days: it must be changed now.
                _ => RedirectToPage("/ChangePassword", new { expired = true }),
            };
        }
        // One answer for every refusal: the store's audit keeps what it was.
        Message = Messages.LoginRefused(options.SetupNumber);
        return Page();
    }
}
