using Ivr.Sip.Tests.Support;

[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(12)]

namespace Ivr.Sip.Tests;

/// <summary>
/// Starts the SIP lab once for every test here. Without a lab Asterisk (scripts/asterisk-lab.sh build) every
/// test is reported as skipped, with the reason; never as passed.
/// </summary>
[SetUpFixture]
public class SipLabSetUp
{
    [OneTimeSetUp]
    public async Task StartAsync()
    {
        if (AsteriskBuild.Find(out var reason) is not { } build)
        {
            Assert.Ignore(reason);
            return;
        }
        if (!File.Exists(BaresipPhone.Program))
        {
            Assert.Fail("baresip is missing: apt-get install baresip-core (scripts/test.sh installs it as root when a lab Asterisk is built)");
        }
        try
        {
            await SipLab.StartAsync(build);
        }
        catch
        {
            await SipLab.StopAsync();
            throw;
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        var folder = SipLab.CurrentOrNull?.AsteriskFolder;
        await SipLab.StopAsync();
        if (folder is null)
        {
            return;
        }
        if (TestContext.CurrentContext.Result.FailCount == 0)
        {
            Directory.Delete(folder, recursive: true);
        }
        else
        {
            TestContext.Progress.WriteLine($"the SIP lab's Asterisk folder, with its log: {folder}");
        }
    }
}
