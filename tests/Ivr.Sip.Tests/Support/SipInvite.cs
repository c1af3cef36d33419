namespace Ivr.Sip.Tests.Support;

/// <summary>What a scripted INVITE says about its caller.</summary>
/// <param name="FromUser">The user of the From header, which the calling side writes as it likes.</param>
/// <param name="Number">The number dialled (Request-URI and To).</param>
internal sealed record SipInvite(string FromUser, string Number)
{
    /// <summary>A P-Asserted-Identity header's value, e.g. <c>&lt;sip:0612345678@carrier.example&gt;</c>.</summary>
    public string? AssertedIdentity { get; init; }

    /// <summary>A Privacy header's value, e.g. <c>id</c>.</summary>
    public string? Privacy { get; init; }

    /// <summary>Answers a digest challenge with these, as a registered phone would.</summary>
    public (string User, string Password)? Credentials { get; init; }

    /// <summary>How long after the answer the first RTP packet is sent; zero sends media at once, as phones do.</summary>
    public TimeSpan MediaDelay { get; init; }
}
