using Ivr.Domain;
using Ivr.Testing;

namespace Ivr.Store.Tests.Contracts;

public sealed class DirectoryCsvTests
{
    private const string Header = "contract_id,phone_number,kind,subscribed,active";

    [Test]
    public void The_shared_scenario_directory_parses()
    {
        var rows = DirectoryFixture.Read();

        Assert.That(rows, Has.Count.EqualTo(8));
        Assert.That(rows[0], Is.EqualTo(new DirectoryRow("C001", "0612345678", NumberKind.Main, Subscribed: true, Active: true)));
        Assert.That(rows, Has.One.EqualTo(new DirectoryRow("C001", "0612345670", NumberKind.Additional, Subscribed: false, Active: true)));
    }

    [Test]
    public void Blank_lines_a_byte_order_mark_and_crlf_line_ends_are_accepted()
    {
        var text = "\uFEFF" + Header + "\r\nC001,0612345678,main,true,true\r\n\r\nC001,0612345679,additional,false,true\r\n\r\n";

        var rows = DirectoryCsv.Parse(new StringReader(text));

        Assert.That(rows.Select(row => row.PhoneNumber), Is.EqualTo(new[] { "0612345678", "0612345679" }));
    }

    [TestCase("", "line 1: the first line must be the header contract_id,phone_number,kind,subscribed,active")]
    [TestCase("phone_number,contract_id,kind,subscribed,active\n", "line 1: the first line must be the header contract_id,phone_number,kind,subscribed,active")]
    [TestCase(Header + "\nC001,0612345678,main,true\n", "line 2: expected 5 fields (contract_id,phone_number,kind,subscribed,active), found 4")]
    [TestCase(Header + "\nC001,0612345678,main,TRUE,true\n", "line 2: subscribed must be true or false, not 'TRUE'")]
    [TestCase(Header + "\nC001,0612345678,main,true,yes\n", "line 2: active must be true or false, not 'yes'")]
    [TestCase(Header + "\nC001,0612345678,primary,true,true\n", "line 2: kind must be main or additional, not 'primary'")]
    [TestCase(Header + "\nC001,06-1234-5678,main,true,true\n", "line 2: phone_number must be a national number, 0 then 9 or 10 digits without hyphens, not '06-1234-5678'")]
    [TestCase(Header + "\nC001,+81612345678,main,true,true\n", "line 2: phone_number must be a national number, 0 then 9 or 10 digits without hyphens, not '+81612345678'")]
    [TestCase(Header + "\nC 001,0612345678,main,true,true\n", "line 2: contract_id must be 1 to 64 letters, digits, '.', '_' or '-', not 'C 001'")]
    [TestCase(Header + "\nC001,0612345678,main,true,true\nC001,0612345678,additional,true,true\n", "line 3: phone number 0612345678 is already listed on line 2")]
    [TestCase(Header + "\nC001,0612345678,main,true,true\n\nC001,0612345679,main,true,true\n", "line 4: contract C001 has a second main number (the first is on line 2)")]
    [TestCase(Header + "\nC001,0612345678,main,true,true\nC002,0698765433,additional,true,true\n", "line 3: contract C002 has no main number: one of its rows must have kind main")]
    [TestCase(Header + "\nC001,0612345678,main,true,true\nC001,0612345679,additional,true,false\n", "line 3: contract C001 is inactive here but active on line 2")]
    public void A_bad_file_is_refused_with_one_line_naming_the_line_and_the_problem(string text, string expected)
    {
        var failure = Assert.Throws<DirectoryCsvException>(() => DirectoryCsv.Parse(new StringReader(text)));

        Assert.That(failure!.Message, Is.EqualTo(expected));
    }

    [Test]
    public void A_value_with_control_characters_or_great_length_still_gives_one_short_line()
    {
        var text = Header + "\nC001,0612345678,\u001b[2J" + new string('x', 500) + ",true,true\n";

        var failure = Assert.Throws<DirectoryCsvException>(() => DirectoryCsv.Parse(new StringReader(text)));

        Assert.That(failure!.LineNumber, Is.EqualTo(2));
        Assert.That(failure.Message, Does.Not.Contain("\u001b").And.Not.Contain("\n").And.Length.LessThan(120));
    }
}
