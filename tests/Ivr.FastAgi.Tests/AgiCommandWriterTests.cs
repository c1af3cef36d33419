using System.Buffers;
using System.Text;
using Ivr.FastAgi;

namespace Ivr.FastAgi.Tests;

public class AgiCommandWriterTests
{
    [TestCase("GET DATA", new[] { "temp-password/select-unit", "10000", "1" }, "GET DATA temp-password/select-unit 10000 1\n")]
    [TestCase("STREAM FILE", new[] { "temp-password/invalid-retry", "" }, "STREAM FILE temp-password/invalid-retry \"\"\n")]
    [TestCase("HANGUP", new string[0], "HANGUP\n")]
    [TestCase("SET VARIABLE", new[] { "NAME", "two words" }, "SET VARIABLE NAME \"two words\"\n")]
    [TestCase("SET VARIABLE", new[] { "NAME", "say \"hi\" \\ bye" }, "SET VARIABLE NAME \"say \\\"hi\\\" \\\\ bye\"\n")]
    public void Arguments_are_quoted_and_escaped_only_when_they_need_it(string verb, string[] arguments, string expected)
    {
        var output = new ArrayBufferWriter<byte>();

        AgiCommandWriter.Write(output, verb, arguments);

        Assert.That(Encoding.UTF8.GetString(output.WrittenSpan), Is.EqualTo(expected));
    }

    [TestCase("a\nHANGUP")]
    [TestCase("a\rb")]
    [TestCase("a\0b")]
    public void An_argument_that_could_inject_a_second_command_is_refused(string argument) =>
        Assert.Throws<ArgumentException>(() => AgiCommandWriter.Write(new ArrayBufferWriter<byte>(), "STREAM FILE", [argument, ""]));

    [TestCase("plain")]
    [TestCase("")]
    [TestCase("two words")]
    [TestCase("quote \" and backslash \\ and  spaces")]
    public void What_the_writer_writes_Asterisks_parser_reads_back(string argument)
    {
        var output = new ArrayBufferWriter<byte>();
        AgiCommandWriter.Write(output, "SET VARIABLE", ["NAME", argument]);

        var parsed = AgiCommandLine.Parse(Encoding.UTF8.GetString(output.WrittenSpan).TrimEnd('\n'));

        Assert.That(parsed, Is.EqualTo(parsed with { Verb = "SET VARIABLE" }));
        Assert.That(parsed.Arguments, Is.EqualTo(new[] { "NAME", argument }));
    }
}
