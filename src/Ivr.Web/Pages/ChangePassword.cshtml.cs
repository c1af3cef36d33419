using Ivr.Domain;
using Ivr.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ivr.Web.Pages;

/// <summary>Choose a new password: forced after a temporary-password login or an expired password, optional otherwise.</summary>
public sealed class ChangePasswordModel(WebsiteLogin login, WebsiteOptions options) : PageModel
{
    public string? Message { get; private set; }

    public string? Notice { get; private set; }

    // Bound properties, not handler arguments: MVC logs a handler's arguments at Trace.
    [BindProperty]
    public string? Current { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? Confirmation { get; set; }

    public bool MustChange => User.HasClaim(c => c.Type == Claims.MustChangePassword);

    public void OnGet(bool expired = false) =>
        Notice = !MustChange ? null : expired ? Messages.PasswordExpired : Messages.TemporaryLogin;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (current, newPassword, confirmation) = (Current, NewPassword, Confirmation);
        (Current, NewPassword, Confirmation) = (null, null, null);
        var id = User.FindFirst(Claims.Login)!.Value;
        if (newPassword != confirmation)
        {
            Message = Messages.ConfirmationMismatch;
            return Page();
        }
        var result = await login.ChangePasswordAsync(id, current ?? "", newPassword ?? "", HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (result != PasswordChangeResult.Changed)
        {
            Message = Messages.ForChange(result, options.SetupNumber);
            return Page();
        }
        await IvrWebsite.SignInAsync(HttpContext, id, mustChangePassword: false);
        TempData["notice"] = Messages.Changed;
        return RedirectToPage("/Index");
    }
}
