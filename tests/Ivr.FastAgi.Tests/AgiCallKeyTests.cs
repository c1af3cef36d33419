using Ivr.FastAgi;

namespace Ivr.FastAgi.Tests;

/// <summary>The key is asked for with <c>GET VARIABLE</c>, never read from the environment's AGI arguments.</summary>
public class AgiCallKeyTests
{
    private const string Key = "a-long-shared-secret";

    [TestCase("200 result=1 (a-long-shared-secret)\n", true, TestName = "Asterisk's environment holds the key")]
    [TestCase("200 result=1 (a-long-shared-secreT)\n", false, TestName = "A different key")]
    [TestCase("200 result=1 (a-long-shared-secret-and-more)\n", false, TestName = "The key with more after it")]
    [TestCase("200 result=1 ()\n", false, TestName = "Asterisk's environment lacks it: ENV() reads as empty")]
    [TestCase("200 result=0\n", false, TestName = "Nothing to read")]
    public async Task The_key_is_the_reply_to_GET_VARIABLE(string reply, bool presented)
    {
        await using var asterisk = await AsteriskSide.StartAsync();

        var checking = new AgiCallKey(Key).IsPresentedByAsync(asterisk.Session);
        Assert.That(await asterisk.ReadCommandAsync(), Is.EqualTo($"GET VARIABLE {AgiCallKey.VariableName}"));
        await asterisk.WriteAsync(reply);

        Assert.That(await checking, Is.EqualTo(presented));
    }

    [Test]
    public async Task A_key_among_the_AGI_arguments_is_not_believed()
    {
        await using var asterisk = await AsteriskSide.StartAsync(environment: $"agi_arg_1: key={Key}\n");

        var checking = new AgiCallKey(Key).IsPresentedByAsync(asterisk.Session);
        await asterisk.ReadCommandAsync();
        await asterisk.WriteAsync("200 result=0\n");

        Assert.That(await checking, Is.False);
    }
}
