using Ivr.Domain;
using Ivr.Store;

namespace Ivr.Web;

/// <summary>What the website tells a subscriber, in Japanese, with what to do next.</summary>
internal static class Messages
{
    public const string WrongLogin = "電話番号またはパスワードが正しくありません。";

    public const string ConfirmationMismatch = "確認用のパスワードが一致しません。もう一度入力してください。";

    public const string TemporaryLogin = "仮パスワードでログインしました。新しいパスワードを設定してください。";

    public const string PasswordExpired = "パスワードの有効期限（60日）が切れました。新しいパスワードを設定してください。";

    public const string Changed = "パスワードを変更しました。";

    public static string TemporaryPasswordDead(string setupNumber) =>
        $"仮パスワードの有効期限が切れたか、無効になりました。ご契約の回線から {setupNumber} に電話して、仮パスワードを設定し直してください。";

    public static string Locked(string setupNumber) =>
        $"パスワードがロックされています。ご契約の回線から {setupNumber} に電話して、仮パスワードを設定してください。";

    public static string MergedNumberRefused(string number, string setupNumber) =>
        $"{number} のパスワードが正しくないか、使えない状態です。わからない場合は、ご契約の回線から {setupNumber} に電話して、{number} の仮パスワードを設定してください。";

    public static string ForChange(PasswordChangeResult result, string setupNumber) => result switch
    {
        PasswordChangeResult.WrongLength => "新しいパスワードは8〜12文字にしてください。",
        PasswordChangeResult.NotLettersAndDigits => "新しいパスワードには半角英字と数字だけを使ってください。",
        PasswordChangeResult.DigitsOnly => "数字だけのパスワードは使えません。英字を含めてください。",
        PasswordChangeResult.SameAsCurrent => "現在のパスワードと同じパスワードは使えません。",
        PasswordChangeResult.Wrong => "現在のパスワードが正しくありません。",
        PasswordChangeResult.Locked => Locked(setupNumber),
        PasswordChangeResult.TemporaryPasswordExpired => TemporaryPasswordDead(setupNumber),
        _ => WrongLogin,
    };
}
