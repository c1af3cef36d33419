using Ivr.Sip.Tests.Support;

namespace Ivr.Sip.Tests;

/// <summary>
/// What the dialplan does when the server does not serve a call, and what Asterisk's AGI debugging shows: each
/// changes the whole lab (the server stopped, a console setting), so these run alone.
/// </summary>
[NonParallelizable]
public class AsteriskAloneTests
{
    private static SipLab Lab => SipLab.Current;

    [Test]
    public async Task With_the_server_down_the_caller_hears_system_error_not_silence()
    {
        SipCall? call = null;
        await Lab.WithServerAsync(null, async () => call = await Lab.CallFromPhoneAsync("lab-main"));

        Assert.That(call!.Heard, Is.EqualTo(new[] { "temp-password/system-error" }));
        Assert.That(call.Log, Has.Some.Contains($"did not serve {call.UniqueId}: AGISTATUS=FAILURE"));
    }

    [Test]
    public async Task When_the_server_closes_the_connection_unserved_the_caller_hears_system_error()
    {
        // An allowlist without Asterisk's address: the server closes the connection before a word, which res_agi.c
        // reports as AGISTATUS=SUCCESS; the dialplan plays system-error all the same.
        SipCall? call = null;
        await Lab.WithServerAsync(new Dictionary<string, string?> { ["AgiAllow"] = "10.0.0.0/8" },
            async () => call = await Lab.CallFromPhoneAsync("lab-main"));

        Assert.That(call!.Heard, Is.EqualTo(new[] { "temp-password/system-error" }));
        Assert.That(call.Log, Has.Some.Contains($"did not serve {call.UniqueId}: AGISTATUS=SUCCESS"));
    }

    [Test]
    public async Task Agi_debugging_on_Asterisks_console_shows_the_key()
    {
        // What docs/security.md says the key does not protect against: whoever may turn this on reads it.
        await Lab.Asterisk.CommandAsync("agi set debug on");
        SipCall call;
        try
        {
            call = await Lab.CallFromPhoneAsync("lab-withheld");
        }
        finally
        {
            await Lab.Asterisk.CommandAsync("agi set debug off");
        }

        Assert.That(call.Log, Has.Some.Contains($"AGI Tx >> 200 result=1 ({Lab.AgiKey})"));
    }
}
