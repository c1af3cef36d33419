using System.Text;
using Ivr.FastAgi;

namespace Ivr.FastAgi.Tests;

/// <summary>Real reply lines, as Asterisk 22's res_agi.c writes them, each a case (SPEC §7).</summary>
public class AgiReplyParserTests
{
    [TestCase("200 result=0 endpos=16000", "0", null, 16000L, TestName = "STREAM FILE played to the end")]
    [TestCase("200 result=-1 endpos=0", "-1", null, 0L, TestName = "STREAM FILE of a missing file")]
    [TestCase("200 result=49 endpos=1234", "49", null, 1234L, TestName = "STREAM FILE interrupted by key 1")]
    [TestCase("200 result=12345678", "12345678", null, null, TestName = "GET DATA ended by max-digits or #")]
    [TestCase("200 result=", "", null, null, TestName = "GET DATA with a lone #")]
    [TestCase("200 result= (timeout)", "", "timeout", null, TestName = "GET DATA with no key before the timeout")]
    [TestCase("200 result=0612 (timeout)", "0612", "timeout", null, TestName = "GET DATA with partial digits then the timeout")]
    [TestCase("200 result=12*4", "12*4", null, null, TestName = "GET DATA returns star among the digits")]
    [TestCase("200 result=-1", "-1", null, null, TestName = "GET DATA on hang-up or failure")]
    [TestCase("200 result=1", "1", null, null, TestName = "HANGUP accepted")]
    [TestCase("200 result=1 (a-long-shared-secret)", "1", "a-long-shared-secret", null, TestName = "GET VARIABLE of a set variable")]
    [TestCase("200 result=1 (one) two (three)", "1", "one) two (three", null, TestName = "GET VARIABLE of a value holding parentheses")]
    [TestCase("200 result=1 ()", "1", "", null, TestName = "GET VARIABLE of an empty variable")]
    [TestCase("200 result=0", "0", null, null, TestName = "GET VARIABLE of an unset variable")]
    public void A_success_reply_gives_its_result_data_and_endpos(string line, string result, string? data, long? endPos)
    {
        var kind = AgiReplyParser.Parse(Encoding.ASCII.GetBytes(line), out var reply);

        Assert.That(kind, Is.EqualTo(AgiLineKind.Reply));
        Assert.That(reply, Is.EqualTo(new AgiReply(200, result, data, endPos)));
    }

    [TestCase("510 Invalid or unknown command", 510)]
    [TestCase("511 Command Not Permitted on a dead channel or intercept routine", 511)]
    [TestCase("520 Invalid command syntax.  Proper usage not available.", 520)]
    [TestCase("503 result=-2 Memory allocation failure", 503)]
    public void An_error_status_is_a_reply_with_its_text(string line, int status)
    {
        var kind = AgiReplyParser.Parse(Encoding.ASCII.GetBytes(line), out var reply);

        Assert.That(kind, Is.EqualTo(AgiLineKind.Reply));
        Assert.That(reply!.Status, Is.EqualTo(status));
        Assert.That(reply.Text, Is.EqualTo(line[4..]));
    }

    [Test]
    public void HANGUP_is_not_a_reply() =>
        Assert.That(AgiReplyParser.Parse("HANGUP"u8, out _), Is.EqualTo(AgiLineKind.HangUp));

    [Test]
    public void A_520_dash_line_starts_a_multi_line_usage() =>
        Assert.That(AgiReplyParser.Parse("520-Invalid command syntax.  Proper usage follows:"u8, out _), Is.EqualTo(AgiLineKind.UsageStart));

    [Test]
    public void A_100_line_is_provisional() =>
        Assert.That(AgiReplyParser.Parse("100 result=0 Trying..."u8, out _), Is.EqualTo(AgiLineKind.Provisional));

    [TestCase("")]
    [TestCase("20")]
    [TestCase("abc result=0")]
    [TestCase("200")]
    [TestCase("200 res=0")]
    [TestCase("200 result=0 (timeout")]
    [TestCase("200 result=0 endpos=12x")]
    [TestCase("200 result=0 garbage")]
    [TestCase("404 result=0")]
    [TestCase("200-result=0")]
    [TestCase("HANGUP now")]
    public void A_malformed_line_is_a_protocol_error(string line)
    {
        var e = Assert.Throws<AgiProtocolException>(() => AgiReplyParser.Parse(Encoding.ASCII.GetBytes(line), out _));

        Assert.That(e!.Reason, Is.EqualTo(AgiProtocolError.MalformedReply));
    }

    [Test]
    public void A_result_of_minus_one_is_recognised_and_timeouts_are_told_apart()
    {
        Assert.That(new AgiReply(200, "-1").IsMinusOne, Is.True);
        Assert.That(new AgiReply(200, "0").IsMinusOne, Is.False);
        Assert.That(new AgiReply(200, "", "timeout").TimedOut, Is.True);
    }

    [Test]
    public void Describing_a_reply_never_shows_its_digits() =>
        Assert.That(new AgiReply(200, "24681357").Describe(), Does.Not.Contain("2468"));
}
