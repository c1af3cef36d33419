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
        if (string.IsNullOrEmpty(Phone) || string.IsNullOrEmpty(password))
        {
            Message = Messages.WrongLogin;
            return Page();
        }
        var result = await login.VerifyAsync(Phone, password, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        switch (result)
        {
            case LoginResult.Ok:
                await IvrWebsite.SignInAsync(HttpContext, Phone, mustChangePassword: false);
                return RedirectToPage("/Index");
            case LoginResult.TemporaryOk:
                await IvrWebsite.SignInAsync(HttpContext, Phone, mustChangePassword: true);
                return RedirectToPage("/ChangePassword");
            case LoginResult.Expired when (await login.ShowAsync(Phone, cancellationToken))?.PasswordPresent == true:
                // The password was right but is older than 60 days: it must be changed now.
                await IvrWebsite.SignInAsync(HttpContext, Phone, mustChangePassword: true);
                return RedirectToPage("/ChangePassword", new { expired = true });
            case LoginResult.Expired:
                Message = Messages.TemporaryPasswordDead(options.SetupNumber);
                return Page();
            case LoginResult.Locked:
                Message = Messages.Locked(options.SetupNumber);
                return Page();
            default:
                // Unknown number and wrong password read the same, so the page never tells which numbers exist.
                Message = Messages.WrongLogin;
                return Page();
        }
    }
}
