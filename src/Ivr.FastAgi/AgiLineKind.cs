namespace Ivr.FastAgi;

/// <summary>What one line from Asterisk is, once a command has been sent.</summary>
public enum AgiLineKind
{
    /// <summary>A complete reply.</summary>
    Reply,

    /// <summary>Asterisk's <c>HANGUP</c>: the caller is gone. Not a reply.</summary>
    HangUp,

    /// <summary>A <c>520-</c> line: a multi-line usage follows, up to <c>520 End of proper usage.</c>.</summary>
    UsageStart,

    /// <summary>A <c>100</c> line (<c>100 result=0 Trying...</c>): the real reply follows.</summary>
    Provisional,
}
