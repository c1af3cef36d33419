using Ivr.Domain;
using Ivr.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ivr.Web.Pages;

/// <summary>Change the authentication unit (line ↔ number ↔ admin/user); the login id follows the new unit.</summary>
public sealed class UnitModel(AuthenticationUnits units, WebsiteLogin login, WebsiteOptions options) : PageModel
{
    public static IReadOnlyList<string> Units { get; } = ["line", "number", "admin-user"];

    // Bound properties, not handler arguments: MVC logs a handler's arguments at Trace.
    [BindProperty]
    public string? Unit { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public Dictionary<string, string> Merged { get; set; } = [];

    public string? CurrentUnit { get; private set; }

    public IReadOnlyList<string> NumbersToMerge { get; private set; } = [];

    public string? Message { get; private set; }

    private string Login => User.FindFirst(Claims.Login)!.Value;

    public static string Label(string? unit) => unit switch
    {
        "line" => "回線単位",
        "number" => "電話番号単位",
        "admin-user" => "管理者/ユーザ単位",
        _ => "",
    };

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (password, merged) = (Password ?? "", Merged);
        (Password, Merged) = (null, []);
        if (!DomainWords.TryParse(Unit, out SettingUnit unit))
        {
            Message = "認証単位を選んでください。";
            await LoadAsync(cancellationToken);
            return Page();
        }
        var change = await units.ChangeAsync(Login, password, unit, merged, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (change.Result == UnitChangeResult.Changed)
        {
            await IvrWebsite.SignInAsync(HttpContext, change.Login!, mustChangePassword: false);
            TempData["notice"] = $"認証単位を{Label(Unit)}に変更しました。ログインIDは {change.Login} です。";
            return RedirectToPage("/Index");
        }
        Message = change.Result switch
        {
            UnitChangeResult.Wrong => "現在のパスワードが正しくありません。",
            UnitChangeResult.MergedPasswordWrong => Messages.MergedNumberRefused(change.RefusedNumber!, options.SetupNumber),
            UnitChangeResult.Locked => Messages.Locked(options.SetupNumber),
            UnitChangeResult.Conflict => "ほかの操作と重なりました。もう一度お試しください。",
            _ => "認証単位を変更できません。パスワードを設定してから、もう一度お試しください。",
        };
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        CurrentUnit = (await login.ShowAsync(Login, cancellationToken))?.Unit.ToName();
        Unit ??= CurrentUnit;
        NumbersToMerge = await units.NumbersToMergeAsync(Login, cancellationToken);
    }
}
