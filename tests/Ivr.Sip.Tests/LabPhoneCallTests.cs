using Ivr.Domain;
using Ivr.Sip.Tests.Support;
using Ivr.Store;

namespace Ivr.Sip.Tests;

/// <summary>
/// Real calls from baresip registered as the lab phones (dialplan/lab/pjsip.conf), keys sent as RFC 4733 DTMF,
/// through the project's dialplan to the real server and store; the credential checked as the website checks it.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class LabPhoneCallTests
{
    private static SipLab Lab => SipLab.Current;

    [Test]
    public async Task Line_unit_from_the_main_number_completes_and_the_website_accepts_the_temporary_password()
    {
        var call = await Lab.CallFromPhoneAsync("lab-main",
            new Press(PromptId.SelectUnit, "1"), new Press(PromptId.EnterPassword, "20261201"), new Press(PromptId.ConfirmPassword, "20261201"));

        Assert.That(call.Heard, Is.EqualTo(new[]
        {
            "temp-password/select-unit", "digits:0612345678", "temp-password/setting-for", "temp-password/enter-password",
            "temp-password/confirm-password", "digits:0612345678", "temp-password/completed",
        }));
        var audit = await Lab.AuditRowAsync(call.UniqueId);
        Assert.That((audit.CallerNumber, audit.Unit, audit.TargetNumber, audit.Outcome),
            Is.EqualTo(("0612345678", (SettingUnit?)SettingUnit.Line, "0612345678", CallOutcome.Completed)));
        Assert.That(await Lab.Login.VerifyAsync("0612345678", "20261201", "sip-tests", CancellationToken.None), Is.EqualTo(LoginResult.TemporaryOk));
        // TIMEOUT(absolute)=600 took: nothing holds the line longer.
        Assert.That(call.Log, Has.Some.Contains("Channel will hangup at"));
        // The server ended the call itself: the dialplan's fallback after AGI() never ran.
        Assert.That(call.Log, Has.None.Contains("did not serve"));
    }

    [Test]
    public async Task Number_unit_sets_another_number_of_the_callers_contract_even_after_a_confirmation_timed_out()
    {
        var call = await Lab.CallFromPhoneAsync("lab-other",
            new Press(PromptId.SelectUnit, "2"), new Press(PromptId.EnterNumber, "0698765433#"),
            new Press(PromptId.EnterPassword, "55554444"), new Press(PromptId.ConfirmPassword, Press.Timeout),
            new Press(PromptId.EnterPassword, "55554444"), new Press(PromptId.ConfirmPassword, "55554444"));

        // Nothing keyed before GET DATA's timeout is a bad input: invalid-retry, then the password again (SPEC §2 step 5).
        Assert.That(call.Heard, Is.EqualTo(new[]
        {
            "temp-password/select-unit", "temp-password/enter-number", "digits:0698765433", "temp-password/setting-for",
            "temp-password/enter-password", "temp-password/confirm-password", "temp-password/invalid-retry",
            "temp-password/enter-password", "temp-password/confirm-password", "digits:0698765433", "temp-password/completed",
        }));
        var audit = await Lab.AuditRowAsync(call.UniqueId);
        Assert.That((audit.Unit, audit.TargetNumber, audit.Outcome), Is.EqualTo(((SettingUnit?)SettingUnit.Number, "0698765433", CallOutcome.Completed)));
        Assert.That(await Lab.Login.VerifyAsync("0698765433", "55554444", "sip-tests", CancellationToken.None), Is.EqualTo(LoginResult.TemporaryOk));
    }

    [Test]
    public async Task Admin_user_unit_from_an_additional_number_registers_that_number()
    {
        var call = await Lab.CallFromPhoneAsync("lab-additional",
            new Press(PromptId.SelectUnit, "3"), new Press(PromptId.EnterPasswordRegister, "27182818"), new Press(PromptId.ConfirmPassword, "27182818"));

        Assert.That(call.Heard, Is.EqualTo(new[]
        {
            "temp-password/select-unit", "digits:0612345679", "temp-password/setting-for", "temp-password/enter-password-register",
            "temp-password/confirm-password", "digits:0612345679", "temp-password/completed",
        }));
        var audit = await Lab.AuditRowAsync(call.UniqueId);
        Assert.That((audit.CallerNumber, audit.Unit, audit.Outcome), Is.EqualTo(("0612345679", (SettingUnit?)SettingUnit.AdminUser, CallOutcome.Completed)));
        Assert.That(await Lab.Login.VerifyAsync("0612345679", "27182818", "sip-tests", CancellationToken.None), Is.EqualTo(LoginResult.TemporaryOk));
    }

    [Test]
    public async Task Three_bad_inputs_play_too_many_errors_and_end_the_call()
    {
        var call = await Lab.CallFromPhoneAsync("lab-main",
            new Press(PromptId.SelectUnit, "0"), new Press(PromptId.SelectUnit, "9"), new Press(PromptId.SelectUnit, "4"));

        Assert.That(call.Heard, Is.EqualTo(new[]
        {
            "temp-password/select-unit", "temp-password/invalid-retry", "temp-password/select-unit", "temp-password/invalid-retry",
            "temp-password/select-unit", "temp-password/too-many-errors",
        }));
        Assert.That((await Lab.AuditRowAsync(call.UniqueId)).Outcome, Is.EqualTo(CallOutcome.TooManyErrors));
    }

    [Test]
    public async Task A_caller_hanging_up_at_the_confirmation_is_audited_and_sets_nothing()
    {
        var call = await Lab.CallFromPhoneAsync("lab-other",
            new Press(PromptId.SelectUnit, "1"), new Press(PromptId.EnterPassword, "31415926"), new Press(PromptId.ConfirmPassword, Press.HangUp));

        var audit = await Lab.AuditRowAsync(call.UniqueId);
        Assert.That((audit.CallerNumber, audit.Outcome), Is.EqualTo(("0698765432", CallOutcome.CallerHungUp)));
        // No other test sets 0698765432's credential.
        Assert.That(await Lab.Login.ShowAsync("0698765432", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_withheld_lab_phone_hears_caller_id_required()
    {
        var call = await Lab.CallFromPhoneAsync("lab-withheld");

        Assert.That(call.Heard, Is.EqualTo(new[] { "temp-password/caller-id-required" }));
        Assert.That((await Lab.AuditRowAsync(call.UniqueId)).Outcome, Is.EqualTo(CallOutcome.CallerIdRequired));
    }

    [Test]
    public async Task A_lab_phone_in_no_contract_hears_not_contracted()
    {
        var call = await Lab.CallFromPhoneAsync("lab-unknown");

        Assert.That(call.Heard, Is.EqualTo(new[] { "temp-password/not-contracted" }));
        var audit = await Lab.AuditRowAsync(call.UniqueId);
        Assert.That((audit.CallerNumber, audit.Outcome), Is.EqualTo(("0399999999", CallOutcome.NotContracted)));
    }

    [Test]
    public async Task A_lab_phone_cannot_claim_another_number_in_its_headers()
    {
        // Authenticated as lab-unknown (PJSIP finds the endpoint by the From user), asserting a subscriber's number:
        // trust_id_inbound is off, so the endpoint's fixed callerid stands.
        var invite = new SipInvite("lab-unknown", "1000")
        {
            AssertedIdentity = "<sip:0612345678@127.0.0.6>",
            Credentials = ("lab-unknown", "lab-unknown-pass"),
        };

        var call = await Lab.CallFromUacAsync(SipLab.OtherHost, "lab-unknown", invite);

        Assert.That(call.Heard, Is.EqualTo(new[] { "temp-password/not-contracted" }));
        Assert.That((await Lab.AuditRowAsync(call.UniqueId)).CallerNumber, Is.EqualTo("0399999999"));
    }

    [Test]
    public async Task A_request_naming_a_lab_phone_without_its_password_is_challenged_and_reaches_nothing()
    {
        var (status, log) = await Lab.InviteAsync(SipLab.OtherHost, "lab-main", new SipInvite("lab-main", "1000"));

        Assert.That(status, Is.EqualTo(401));
        Assert.That(log, Has.None.Contains("Executing ["));
    }
}
