using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Ivr.Web;

/// <summary>The answer to a password check beyond the limit: 429, <c>Retry-After</c>, and a page in Japanese saying when to try again.</summary>
internal static class TooManyAttemptsPage
{
    public static async ValueTask WriteAsync(HttpContext context, RateLimitLease lease, string setupNumber, CancellationToken cancellationToken)
    {
        // The fixed window's end; a whole minute when the limiter cannot tell.
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(Html(seconds, setupNumber), cancellationToken);
    }

    public static string Html(int seconds, string setupNumber) => $"""
        <!DOCTYPE html>
        <html lang="ja">
        <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>しばらくお待ちください | 設定サイト</title>
            <link rel="stylesheet" href="/css/site.css" />
        </head>
        <body>
            <header><span class="brand">光電話 設定サイト</span></header>
            <main>
                <h1>しばらくお待ちください</h1>
                <p class="error" role="alert">短い時間にログインが続いたため、受け付けを一時停止しています。{seconds}秒ほど待ってから、もう一度お試しください。</p>
                <p class="hint">ログインできない場合は、ご契約の回線から {WebUtility.HtmlEncode(setupNumber)} に電話して、仮パスワードを設定し直してください。</p>
                <p><a href="/Login">ログインへ戻る</a></p>
            </main>
        </body>
        </html>
        """;
}
