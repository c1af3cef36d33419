using Ivr.Domain;
using Ivr.Sip.Tests.Support;
using Ivr.Store;

namespace Ivr.Sip.Tests;

/// <summary>The server asks Asterisk for its <c>IVR_AGI_KEY</c>; no verbose level of Asterisk logs it in a normal call.</summary>
[Parallelizable(ParallelScope.All)]
public class AgiKeyTests
{
    private static SipLab Lab => SipLab.Current;

    [Test]
    public async Task The_agi_key_is_in_no_line_asterisk_logs_at_verbose_5_from_start_up_through_a_served_call()
    {
        var call = await Lab.CallFromPhoneAsync("lab-main", new Press(PromptId.SelectUnit, "1"), new Press(PromptId.EnterPassword, Press.HangUp));

        // The call was served, so the server asked for the key and got it.
        Assert.That(call.Heard, Is.EqualTo(new[] { "temp-password/select-unit", "digits:0612345678", "temp-password/setting-for", "temp-password/enter-password" }));
        Assert.That((await Lab.AuditRowAsync(call.UniqueId)).Outcome, Is.EqualTo(CallOutcome.CallerHungUp));
        // The log holds verbose 5 (res_agi registers its commands at 5) and the AGI step (3) with its arguments.
        Assert.That(Lab.StartUpLog, Has.Some.Contains("AGI Command 'get variable' registered"));
        Assert.That(call.Log, Has.Some.Contains("Executing [s@temp-password-setup:4] AGI("));
        // Why the key is no global: Asterisk logs each one it sets (verbose 2), IVR_HOST here.
        Assert.That(Lab.StartUpLog, Has.Some.Contains("Setting global variable 'IVR_HOST' to '127."));
        Assert.That(Lab.StartUpLog.Concat(call.LogWhileRunning), Has.None.Contains(Lab.AgiKey));
        Assert.That(Lab.Server.Log, Has.None.Contains("AGI key"));
    }
}
