using Ivr.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ivr.Web.Pages;

/// <summary>
/// Logout (POST only, with the antiforgery token like every POST). It ends the session on the server: the
/// credential's stamp changes, so the same cookie sent again opens nothing (OWASP ASVS 3.3.1).
/// </summary>
public sealed class LogoutModel(WebsiteLogin login) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.FindFirst(Claims.Login)?.Value is { } id && Guid.TryParse(User.FindFirst(Claims.SessionStamp)?.Value, out var stamp))
        {
            await login.EndSessionsAsync(id, stamp, cancellationToken);
        }
        await HttpContext.SignOutAsync();
        return RedirectToPage("/Login");
    }
}
