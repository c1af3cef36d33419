using Ivr.Domain;
using Ivr.Sip.Tests.Support;
using Ivr.Store;

namespace Ivr.Sip.Tests;

/// <summary>
/// dialplan/pjsip-carrier.conf in a real Asterisk: a scripted carrier sends INVITEs from its address (the trunk's
/// <c>match=</c>) and from elsewhere; only the carrier's network-asserted identity is ever believed.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class CarrierTrunkTests
{
    private const string SetupNumber = "0120000000";

    private static SipLab Lab => SipLab.Current;

    // "[2026-12-02 00:39:08.957] VERBOSE[…": logger.conf's dateformat.
    private static DateTime LogTime(string line) =>
        DateTime.ParseExact(line[1..24], "yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public async Task The_carriers_asserted_identity_completes_the_line_unit()
    {
        var invite = new SipInvite("carrier", SetupNumber) { AssertedIdentity = "<sip:05011112222@127.0.0.5>" };

        var call = await Lab.CallFromUacAsync(SipLab.Carrier, SipLab.CarrierEndpoint, invite,
            new Press(PromptId.SelectUnit, "1"), new Press(PromptId.EnterPassword, "24681357"), new Press(PromptId.ConfirmPassword, "24681357"));

        Assert.That(call.Heard, Is.EqualTo(new[]
        {
            "temp-password/select-unit", "digits:05011112222", "temp-password/setting-for", "temp-password/enter-password",
            "temp-password/confirm-password", "digits:05011112222", "temp-password/completed",
        }));
        Assert.That((await Lab.AuditRowAsync(call.UniqueId)).Outcome, Is.EqualTo(CallOutcome.Completed));
        Assert.That(await Lab.Login.VerifyAsync("05011112222", "24681357", "sip-tests", CancellationToken.None), Is.EqualTo(LoginResult.TemporaryOk));
    }

    [Test]
    public async Task An_asserted_plus_81_identity_is_the_subscribers_national_number()
    {
        var invite = new SipInvite("carrier", SetupNumber) { AssertedIdentity = "<tel:+815011112223>" };

        var call = await Lab.CallFromUacAsync(SipLab.Carrier, SipLab.CarrierEndpoint, invite, new Press(PromptId.SelectUnit, Press.HangUp));

        var audit = await Lab.AuditRowAsync(call.UniqueId);
        Assert.That((audit.CallerNumber, audit.Outcome), Is.EqualTo(("05011112223", CallOutcome.CallerHungUp)));
    }

    [Test]
    public async Task Privacy_id_makes_the_asserted_identity_withheld()
    {
        var invite = new SipInvite("carrier", SetupNumber) { AssertedIdentity = "<sip:05011112222@127.0.0.5>", Privacy = "id" };

        var call = await Lab.CallFromUacAsync(SipLab.Carrier, SipLab.CarrierEndpoint, invite);

        Assert.That(call.Heard, Is.EqualTo(new[] { "temp-password/caller-id-required" }));
        Assert.That((await Lab.AuditRowAsync(call.UniqueId)).Outcome, Is.EqualTo(CallOutcome.CallerIdRequired));
    }

    [Test]
    public async Task Without_an_asserted_identity_the_from_header_is_not_believed()
    {
        // The endpoint's callerid (anonymous, prohib) is Asterisk's fallback, before the From header the caller wrote.
        var call = await Lab.CallFromUacAsync(SipLab.Carrier, SipLab.CarrierEndpoint, new SipInvite("0612345678", SetupNumber));

        Assert.That(call.Heard, Is.EqualTo(new[] { "temp-password/caller-id-required" }));
        Assert.That((await Lab.AuditRowAsync(call.UniqueId)).Outcome, Is.EqualTo(CallOutcome.CallerIdRequired));
    }

    [TestCase(0, 0, 400, TestName = "Answer() goes on as soon as the caller's media arrives")]
    [TestCase(3000, 450, 1500, TestName = "Answer() waits up to 500 ms for the caller's media, so the first prompt is not clipped")]
    public async Task Answer_waits_for_media_before_the_first_prompt(int mediaDelayMs, int atLeastMs, int atMostMs)
    {
        var invite = new SipInvite("carrier", SetupNumber)
        {
            AssertedIdentity = "<sip:05011112222@127.0.0.5>",
            Privacy = "id",
            MediaDelay = TimeSpan.FromMilliseconds(mediaDelayMs),
        };

        var call = await Lab.CallFromUacAsync(SipLab.Carrier, SipLab.CarrierEndpoint, invite);

        var answered = LogTime(call.Log.First(line => line.Contains("Executing [s@temp-password-setup:1] Answer(", StringComparison.Ordinal)));
        var next = LogTime(call.Log.First(line => line.Contains("Executing [s@temp-password-setup:2] ", StringComparison.Ordinal)));
        Assert.That((next - answered).TotalMilliseconds, Is.InRange(atLeastMs, atMostMs));
    }

    [Test]
    public async Task A_host_that_is_not_the_carrier_is_refused()
    {
        var invite = new SipInvite("0612345678", SetupNumber) { AssertedIdentity = "<sip:0612345678@127.0.0.6>" };

        var (status, log) = await Lab.InviteAsync(SipLab.OtherHost, SipLab.CarrierEndpoint, invite);

        Assert.That(status, Is.EqualTo(401));
        Assert.That(log, Has.None.Contains("Executing ["));
    }

    [Test]
    public async Task A_host_that_calls_itself_the_carrier_is_refused()
    {
        // Issue 10: with PJSIP's default identify_by=username,ip this INVITE was the carrier's, and its asserted
        // identity was believed.
        var invite = new SipInvite(SipLab.CarrierEndpoint, SetupNumber) { AssertedIdentity = "<sip:0612345678@127.0.0.6>" };

        var (status, log) = await Lab.InviteAsync(SipLab.OtherHost, SipLab.CarrierEndpoint, invite);

        Assert.That(log, Has.None.Contains("Executing ["), "the call reached the dialplan");
        Assert.That(status, Is.EqualTo(401));
    }

    [Test]
    public async Task A_number_that_is_not_the_setup_number_is_refused_as_unallocated()
    {
        // Hangup(1) before answering: Asterisk answers cause 1 (unallocated number) with 404.
        var (status, log) = await Lab.InviteAsync(SipLab.Carrier, SipLab.CarrierEndpoint, new SipInvite("carrier", "0120999999") { AssertedIdentity = "<sip:05011112222@127.0.0.5>" });

        Assert.That(status, Is.EqualTo(404));
        Assert.That(log, Has.Some.Contains("Executing [0120999999@from-carrier:1] Hangup("));
    }
}
