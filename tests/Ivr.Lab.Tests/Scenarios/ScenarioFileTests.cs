using Ivr.Lab.Scenarios;
using Ivr.Testing;

namespace Ivr.Lab.Tests.Scenarios;

public class ScenarioFileTests
{
    private const string LineUnitHappyPath = """
        name: line unit, happy path
        caller: "0612345678"
        steps:
          - hear: [temp-password/select-unit]
            press: "1"
          - hear: [digits:0612345678, temp-password/setting-for, temp-password/enter-password]
            press: "12345678"
          - hear: [temp-password/confirm-password]
            press: "12345678"
          - hear: [digits:0612345678, temp-password/completed]
        end: system-hangup
        outcome: completed
        credentials:
          - login: "0612345678"
            unit: line
            temporary-password: "12345678"
        unchanged: ["0698765432"]
        """;

    [Test]
    public void The_spec_example_reads_into_steps_presses_and_expectations()
    {
        var scenario = ScenarioFile.Parse(LineUnitHappyPath, "example.yaml");

        Assert.Multiple(() =>
        {
            Assert.That(scenario.Name, Is.EqualTo("line unit, happy path"));
            Assert.That(scenario.Caller, Is.EqualTo("0612345678"));
            Assert.That(scenario.Steps, Has.Count.EqualTo(4));
            Assert.That(scenario.Steps[1].Hear, Is.EqualTo(new[] { "digits:0612345678", "temp-password/setting-for", "temp-password/enter-password" }));
            Assert.That(scenario.Presses, Is.EqualTo(new[] { "1", "12345678", "12345678" }));
            Assert.That(scenario.Steps[3].Press, Is.Null);
            Assert.That(scenario.End, Is.EqualTo(ScenarioEnd.SystemHangup));
            Assert.That(scenario.Outcome, Is.EqualTo("completed"));
            Assert.That(scenario.Credentials, Is.EqualTo(new[] { new ExpectedCredential("0612345678", "line", "12345678") }));
            Assert.That(scenario.Unchanged, Is.EqualTo(new[] { "0698765432" }));
        });
    }

    [Test]
    public void Unquoted_numbers_keep_their_leading_zero()
    {
        var scenario = ScenarioFile.Parse(LineUnitHappyPath.Replace("\"0612345678\"\nsteps", "0612345678\nsteps"), "example.yaml");

        Assert.That(scenario.Caller, Is.EqualTo("0612345678"));
    }

    [TestCase("anonymous", null, 35)]
    [TestCase("0612345678", null, 0)]
    [TestCase("0612345678", 33, 33)]
    public void The_presentation_follows_asterisk_unless_the_scenario_names_one(string caller, int? named, int expected)
    {
        var scenario = ScenarioFile.Parse(LineUnitHappyPath, "x.yaml") with { Caller = caller, CallingPresentation = named };

        Assert.That(scenario.EffectiveCallingPresentation, Is.EqualTo(expected));
    }

    [TestCase("end: system-hangup", "end: sideways", "x.yaml: 'end' must be system-hangup or caller-hangup, not 'sideways'")]
    [TestCase("outcome: completed", "outcome: ''", "x.yaml: 'outcome' is missing")]
    [TestCase("press: \"1\"", "press: \"1a\"", "x.yaml: step 1: press '1a' is not digits, '#', '*', 'timeout' or 'hangup'")]
    [TestCase("temporary-password: \"12345678\"", "password: \"12345678\"", "x.yaml: line ")]
    public void A_malformed_file_is_one_line_naming_the_file_and_the_problem(string valid, string broken, string expected)
    {
        var e = Assert.Throws<ScenarioFileException>(() => ScenarioFile.Parse(LineUnitHappyPath.Replace(valid, broken), "x.yaml"));

        Assert.That(e!.Message, Does.StartWith(expected));
        Assert.That(e.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void Every_shared_scenario_file_reads()
    {
        var folder = RepositoryPaths.Scenarios;

        var scenarios = ScenarioFile.LoadAll([folder]);

        Assert.That(scenarios, Is.Not.Empty);
        Assert.That(scenarios.Select(s => s.Scenario.Steps.Count), Is.All.GreaterThan(0));
    }

    [Test]
    public void A_missing_path_is_named()
    {
        var e = Assert.Throws<ScenarioFileException>(() => ScenarioFile.LoadAll(["no/such/place.yaml"]));

        Assert.That(e!.Message, Is.EqualTo("no/such/place.yaml: no such file or folder"));
    }
}
