namespace Ivr.FastAgi;

/// <summary>
/// One reply to a command: <c>200 result=&lt;result&gt;[ (&lt;data&gt;)][ endpos=&lt;n&gt;]</c>, or an error status
/// (<c>510</c>, <c>511</c>, <c>520</c>, <c>503</c>) with its text. A value: a reply costs no allocation of its own.
/// </summary>
/// <param name="Status">The three-digit status code.</param>
/// <param name="Result">The text after <c>result=</c>, possibly empty (a lone <c>#</c> to <c>GET DATA</c>); null for an error status.</param>
/// <param name="Data">The parenthesised part, e.g. <c>timeout</c>.</param>
/// <param name="EndPos">The <c>endpos=</c> value of <c>STREAM FILE</c>.</param>
/// <param name="Text">An error status's text (for <c>520</c>, every line of the usage).</param>
public readonly record struct AgiReply(int Status, string? Result, string? Data = null, long? EndPos = null, string? Text = null)
{
    public const int Success = 200;
    public const int InvalidCommand = 510;
    public const int DeadChannel = 511;
    public const int UsageError = 520;
    public const int Failure = 503;

    /// <summary>Whether the result is <c>-1</c>: a failure, or a hang-up when Asterisk's <c>HANGUP</c> line follows.</summary>
    public bool IsMinusOne => Status == Success && Result == "-1";

    /// <summary>Whether <c>GET DATA</c> ended because the caller stopped keying.</summary>
    public bool TimedOut => Data == "timeout";

    /// <summary>The reply for a log line: the status and, for errors, their text; never a <c>GET DATA</c> result (it may be a password).</summary>
    public string Describe() => Status == Success ? (IsMinusOne ? "200 result=-1" : "200") : $"{Status} {Text}";
}
