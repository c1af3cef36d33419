using System.IO.Pipelines;
using System.Text;
using Ivr.FastAgi;

namespace Ivr.FastAgi.Tests;

public class AgiEnvironmentReaderTests
{
    private static async Task<AgiEnvironment> ReadAsync(string block, FastAgiLimits? limits = null)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(block));
        await pipe.Writer.CompleteAsync();
        return await AgiEnvironmentReader.ReadAsync(pipe.Reader, limits ?? new FastAgiLimits());
    }

    [Test]
    public async Task The_block_gives_its_variables_and_typed_values()
    {
        var environment = await ReadAsync(
            "agi_network: yes\nagi_network_script: temp-password\nagi_uniqueid: 1700000000.42\nagi_callerid: 0612345678\n" +
            "agi_calleridname: 山田\nagi_callingpres: 33\nagi_arg_1: key=abc\nagi_arg_2: x\nagi_accountcode: \n\n");

        Assert.That(environment.NetworkScript, Is.EqualTo("temp-password"));
        Assert.That(environment.UniqueId, Is.EqualTo("1700000000.42"));
        Assert.That(environment.CallerId, Is.EqualTo("0612345678"));
        Assert.That(environment.CallingPresentation, Is.EqualTo(33));
        Assert.That(environment["agi_calleridname"], Is.EqualTo("山田"));
        Assert.That(environment.Arguments, Is.EqualTo(new[] { "key=abc", "x" }));
        Assert.That(environment["agi_accountcode"], Is.Empty);
    }

    [Test]
    public async Task Lines_ended_by_CR_LF_give_values_without_the_CR()
    {
        var environment = await ReadAsync("agi_network_script: temp-password\r\nagi_calleridname: 山田\r\nagi_callerid: 0612345678\r\n\r\n");

        Assert.That((environment.NetworkScript, environment["agi_calleridname"], environment.CallerId), Is.EqualTo(("temp-password", "山田", "0612345678")));
    }

    [Test]
    public async Task Missing_variables_are_null_not_errors()
    {
        var environment = await ReadAsync("agi_network: yes\n\n");

        Assert.That(environment.NetworkScript, Is.Null);
        Assert.That(environment.CallerId, Is.Null);
        Assert.That(environment.CallingPresentation, Is.Null);
        Assert.That(environment.Arguments, Is.Empty);
    }

    [TestCase("temp-password?key=abc", "temp-password")]
    [TestCase("/temp-password", "temp-password")]
    public async Task The_script_path_drops_its_slash_and_query(string sent, string expected) =>
        Assert.That((await ReadAsync($"agi_network_script: {sent}\n\n")).NetworkScript, Is.EqualTo(expected));

    [Test]
    public async Task Invalid_utf8_in_a_value_does_not_end_the_call()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync((byte[])[.. "agi_calleridname: "u8, 0xFF, 0xFE, .. "\n\n"u8]);
        await pipe.Writer.CompleteAsync();

        var environment = await AgiEnvironmentReader.ReadAsync(pipe.Reader, new FastAgiLimits());

        Assert.That(environment["agi_calleridname"], Does.Contain("\uFFFD"));
    }

    [Test]
    public void An_oversized_block_is_refused()
    {
        var block = string.Concat(Enumerable.Range(0, 20).Select(i => $"agi_arg_{i}: x\n")) + "\n";

        var e = Assert.ThrowsAsync<AgiProtocolException>(() => ReadAsync(block, new FastAgiLimits { MaxEnvironmentLines = 10 }));

        Assert.That(e!.Reason, Is.EqualTo(AgiProtocolError.EnvironmentTooLarge));
    }

    [Test]
    public void An_endless_line_is_refused()
    {
        var e = Assert.ThrowsAsync<AgiProtocolException>(() => ReadAsync("agi_callerid: " + new string('1', 10_000)));

        Assert.That(e!.Reason, Is.EqualTo(AgiProtocolError.LineTooLong));
    }

    [TestCase("not an agi line\n\n")]
    [TestCase("agi name with spaces: x\n\n")]
    public void A_line_that_is_not_an_agi_variable_is_refused(string block)
    {
        var e = Assert.ThrowsAsync<AgiProtocolException>(() => ReadAsync(block));

        Assert.That(e!.Reason, Is.EqualTo(AgiProtocolError.MalformedEnvironmentLine));
    }

    [Test]
    public void A_peer_that_closes_mid_block_is_refused()
    {
        var e = Assert.ThrowsAsync<AgiProtocolException>(() => ReadAsync("agi_network: yes\n"));

        Assert.That(e!.Reason, Is.EqualTo(AgiProtocolError.EndOfStreamInEnvironment));
    }

    [Test]
    public void A_silent_peer_times_out()
    {
        var pipe = new Pipe();

        var e = Assert.ThrowsAsync<AgiProtocolException>(() =>
            AgiEnvironmentReader.ReadAsync(pipe.Reader, new FastAgiLimits { EnvironmentTimeout = TimeSpan.FromMilliseconds(50) }));

        Assert.That(e!.Reason, Is.EqualTo(AgiProtocolError.EnvironmentTimeout));
    }
}
