using Ivr.CallFlow;

namespace Ivr.CallFlow.Tests;

public class CallerNumberTests
{
    [TestCase("0612345678", 0, "0612345678")]
    [TestCase("+81612345678", 0, "0612345678")]
    [TestCase("+819012345678", 1, "09012345678")]
    [TestCase("06-1234-5678", 0, "0612345678")]
    [TestCase(" 0612345678 ", 0, "0612345678")]
    public void A_presented_number_becomes_national_digits(string callerId, int presentation, string expected) =>
        Assert.That(CallerNumber.Normalise(callerId, presentation), Is.EqualTo(expected));

    [TestCase("0612345678", 33, TestName = "Presentation 33 (restricted) withholds even when the digits arrive")]
    [TestCase("0612345678", 0x40, TestName = "Presentation 0x40 (unavailable) withholds")]
    [TestCase("anonymous", 35, TestName = "anonymous with presentation 35 is withheld")]
    [TestCase("Anonymous", 0, TestName = "anonymous alone is withheld")]
    [TestCase("unknown", 0, TestName = "unknown is no number")]
    [TestCase("", 0, TestName = "an empty caller id is no number")]
    [TestCase("abc", 0, TestName = "a caller id without digits is no number")]
    public void A_withheld_or_missing_number_is_none(string callerId, int presentation) =>
        Assert.That(CallerNumber.Normalise(callerId, presentation), Is.Null);

    [Test]
    public void A_missing_presentation_is_taken_as_allowed() =>
        Assert.That(CallerNumber.Normalise("0612345678", null), Is.EqualTo("0612345678"));
}
