using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ivr.Web.Pages;

/// <summary>The top page after login.</summary>
public sealed class IndexModel : PageModel
{
    public string Login => User.FindFirst(Claims.Login)!.Value;
}
