using System.Buffers;
using System.Text;
using Ivr.FastAgi;

namespace Ivr.FastAgi.Tests;

public class AgiLineReaderTests
{
    [Test]
    public void Lines_end_at_newline_and_lose_a_carriage_return()
    {
        var buffer = new ReadOnlySequence<byte>("200 result=0\r\nHANGUP\n"u8.ToArray());

        Assert.That(AgiLineReader.TryReadLine(ref buffer, 100, out var first), Is.True);
        Assert.That(AgiLineReader.TryReadLine(ref buffer, 100, out var second), Is.True);
        Assert.That(AgiLineReader.TryReadLine(ref buffer, 100, out _), Is.False);
        Assert.That(Encoding.ASCII.GetString(first), Is.EqualTo("200 result=0"));
        Assert.That(Encoding.ASCII.GetString(second), Is.EqualTo("HANGUP"));
        Assert.That(buffer.Length, Is.Zero);
    }

    [Test]
    public void Every_prefix_of_a_line_returns_false_and_consumes_nothing()
    {
        var line = "200 result=0612345678 (timeout)\n"u8.ToArray();
        for (var length = 0; length < line.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(line, 0, length);

            Assert.That(AgiLineReader.TryReadLine(ref buffer, 8192, out _), Is.False);
            Assert.That(buffer.Length, Is.EqualTo(length));
        }
    }

    [Test]
    public void A_line_split_one_byte_per_segment_reads_whole()
    {
        var buffer = Segmented.OneBytePerSegment("agi_callerid: 0612345678\n"u8.ToArray());

        Assert.That(AgiLineReader.TryReadLine(ref buffer, 8192, out var line), Is.True);
        Assert.That(Encoding.ASCII.GetString(line), Is.EqualTo("agi_callerid: 0612345678"));
    }

    [Test]
    public void An_endless_line_fails_once_it_passes_the_limit_without_waiting_for_its_end()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[101]);

        var e = Assert.Throws<AgiProtocolException>(() => AgiLineReader.TryReadLine(ref buffer, 100, out _));

        Assert.That(e!.Reason, Is.EqualTo(AgiProtocolError.LineTooLong));
    }

    [Test]
    public void A_line_of_exactly_the_limit_is_accepted()
    {
        var buffer = new ReadOnlySequence<byte>([.. new byte[100], (byte)'\n']);

        Assert.That(AgiLineReader.TryReadLine(ref buffer, 100, out var line), Is.True);
        Assert.That(line.Length, Is.EqualTo(100));
    }
}
