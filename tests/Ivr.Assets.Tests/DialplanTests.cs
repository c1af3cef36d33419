using System.Collections;
using System.Text.RegularExpressions;
using Ivr.CallFlow;
using Ivr.Domain;
using Ivr.FastAgi;
using Ivr.Hosting;
using Ivr.Server;

namespace Ivr.Assets.Tests;

/// <summary>The setup number's dialplan reaches the server where it listens, and only trusted callers reach it.</summary>
public partial class DialplanTests
{
    /// <summary>The contexts whose caller ids Asterisk sets from a trusted source: the carrier trunk, the lab's phones.</summary>
    private static readonly string[] TrustedContexts = ["from-carrier", "lab-phones"];

    private static readonly string[] DialplanFiles = ["extensions.conf", "temp-password.conf", "lab/extensions.conf"];

    private static readonly string[] PjsipFiles = ["pjsip-carrier.conf", "lab/pjsip.conf"];

    private static AsteriskConfig SetupDialplan() => AsteriskConfig.Read("dialplan", "temp-password.conf");

    private static List<DialplanStep> SetupSteps() =>
        DialplanStep.Of(SetupDialplan().Section("temp-password-setup")).Where(step => step.Extension == "s").ToList();

    [Test]
    public void The_setup_number_answers_in_japanese_then_calls_the_servers_script_on_the_port_it_listens_on()
    {
        var steps = SetupSteps();
        var agi = steps.FindIndex(step => step.Application == "AGI");

        Assert.That(steps[0].Application, Is.EqualTo("Answer"));
        Assert.That(steps.FindIndex(step => step is { Application: "Set", Arguments: "CHANNEL(language)=ja" }), Is.InRange(0, agi - 1));
        var url = AgiUrl().Match(steps[agi].Arguments);
        Assert.That(url.Success, steps[agi].Arguments);
        Assert.That(url.Groups["script"].Value, Is.EqualTo(TemporaryPasswordScript.ScriptPath));
        Assert.That(int.Parse(url.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture),
            Is.EqualTo(EndPoints.Parse(new ServerOptions().Listen, "IVR_LISTEN").Port), "the port ivr serve listens on by default");
    }

    [Test]
    public void The_agi_host_is_a_global_that_the_environment_asterisk_runs_in_can_set()
    {
        var globals = SetupDialplan().Section("globals");
        var host = AgiUrl().Match(SetupSteps().Single(step => step.Application == "AGI").Arguments).Groups["host"].Value;

        Assert.That(globals.Values(host).Single(), Does.Contain($"${{ENV({host})}}"));
    }

    [Test]
    public void The_agi_key_is_in_no_global_and_no_dialplan_step()
    {
        // Asterisk logs every global it sets (verbose 2) and every application's arguments (verbose 3); the server
        // reads the key from Asterisk's environment instead (tests/Ivr.Sip.Tests reads the log to show it).
        Assert.That(AgiCallKey.VariableName, Is.EqualTo("ENV(IVR_AGI_KEY)"));
        foreach (var file in DialplanFiles)
        {
            var dialplan = AsteriskConfig.Read("dialplan", file);
            Assert.That(dialplan.Sections.Where(section => section.Name == "globals").SelectMany(section => section.Values("IVR_AGI_KEY")), Is.Empty, file);
            Assert.That(dialplan.Sections.SelectMany(DialplanStep.Of).Where(step => step.Arguments.Contains("IVR_AGI_KEY", StringComparison.Ordinal)), Is.Empty, file);
        }
    }

    [Test]
    public void When_the_server_does_not_serve_the_call_the_caller_hears_system_error_before_the_hang_up()
    {
        var steps = SetupSteps();
        var afterAgi = steps.Skip(steps.FindIndex(step => step.Application == "AGI") + 1)
            .Where(step => step.Application is not ("Log" or "NoOp" or "Verbose")).ToList();

        // Any step that could branch or end the call before the prompt would leave the caller in silence.
        Assert.That(afterAgi, Is.EqualTo(new[]
        {
            new DialplanStep("s", "Playback", PromptId.SystemError.Value),
            new DialplanStep("s", "Hangup", ""),
        }));
    }

    [Test]
    public void Only_the_carrier_trunk_and_the_lab_phones_reach_the_setup_flow()
    {
        foreach (var file in DialplanFiles)
        {
            var dialplan = AsteriskConfig.Read("dialplan", file);
            Assert.That(dialplan.Sections.SelectMany(section => section.Values("include")), Has.None.EqualTo("temp-password-setup"), file);
            var routing = dialplan.Sections.Where(section => DialplanStep.Of(section).Any(step =>
                step.Application is "Goto" or "Gosub" or "GotoIf" && step.Arguments.Contains("temp-password-setup", StringComparison.Ordinal)));
            Assert.That(routing.Select(section => section.Name).Distinct(), Is.SubsetOf(TrustedContexts), file);
        }
        foreach (var file in PjsipFiles)
        {
            var pjsip = AsteriskConfig.Read("dialplan", file);
            Assert.That(pjsip.Objects("endpoint").Select(endpoint => pjsip.Value(endpoint, "context")).Distinct(), Is.SubsetOf(TrustedContexts), file);
        }
    }

    [Test]
    public void The_carrier_trunk_believes_only_the_network_asserted_identity()
    {
        var pjsip = AsteriskConfig.Read("dialplan", "pjsip-carrier.conf");
        var trunk = pjsip.Objects("endpoint").Single();

        Assert.That(pjsip.Value(trunk, "trust_id_inbound"), Is.EqualTo("yes"));
        // An endpoint that believes asserted identities and asks no password is found by source address only; the
        // default (username,ip) let any host be the carrier (issue 10; CarrierTrunkTests in a real Asterisk).
        Assert.That(pjsip.Value(trunk, "identify_by"), Is.EqualTo("ip"));
        Assert.That(pjsip.Value(trunk, "auth"), Is.Null);
        // Without P-Asserted-Identity, Asterisk falls back to the endpoint's callerid, and only then to From.
        Assert.That(CallerNumber().Match(pjsip.Value(trunk, "callerid") ?? "").Groups["number"].Value, Is.EqualTo("anonymous"));
        Assert.That(pjsip.Value(trunk, "callerid_privacy"), Does.StartWith("prohib"));
        var identify = pjsip.Objects("identify").Single();
        Assert.That(pjsip.Value(identify, "endpoint"), Is.EqualTo(trunk.Name));
        Assert.That(identify.Values("match"), Is.Not.Empty, "calls are matched to the trunk by the carrier's addresses");
    }

    [Test]
    public void Every_lab_phone_is_a_caller_of_the_demo_directory_except_the_deliberate_unknown_and_withheld_ones()
    {
        var directory = DemoDirectory.Numbers();
        var pjsip = AsteriskConfig.Read("dialplan", "lab", "pjsip.conf");
        var phones = pjsip.Objects("endpoint").ToDictionary(endpoint => endpoint.Name, endpoint => CallerNumber().Match(pjsip.Value(endpoint, "callerid") ?? "").Groups["number"].Value);

        Assert.That(phones.Keys, Is.SupersetOf(new[] { "lab-main", "lab-additional", "lab-unsubscribed", "lab-unknown", "lab-withheld" }));
        Assert.That(directory, Does.Not.Contain(phones["lab-unknown"]), "the unknown phone must be unknown");
        Assert.That(pjsip.Value(pjsip.Object("lab-withheld", "endpoint"), "callerid_privacy"), Does.StartWith("prohib"));
        foreach (var (name, number) in phones.Where(phone => phone.Key is not ("lab-unknown" or "lab-withheld")))
        {
            Assert.That(directory, Does.Contain(number), name);
        }
    }

    [Test]
    public void A_lab_phone_cannot_choose_its_caller_id_and_can_register()
    {
        var pjsip = AsteriskConfig.Read("dialplan", "lab", "pjsip.conf");

        foreach (var phone in pjsip.Objects("endpoint"))
        {
            // A fixed callerid and no trust in the phone's own headers: From and P-Asserted-Identity are ignored.
            Assert.That(CallerNumber().IsMatch(pjsip.Value(phone, "callerid") ?? ""), phone.Name);
            Assert.That(pjsip.Value(phone, "trust_id_inbound"), Is.Null.Or.EqualTo("no"), phone.Name);
            Assert.That(() => pjsip.Object(pjsip.Value(phone, "auth")!, "auth"), Throws.Nothing, $"{phone.Name}'s auth");
            Assert.That(() => pjsip.Object(pjsip.Value(phone, "aors")!, "aor"), Throws.Nothing, $"{phone.Name}'s aor");
        }
    }

    [Test]
    public void The_demo_directory_holds_every_row_of_the_scenarios_directory()
    {
        var demo = File.ReadAllLines(Assets.PathOf("demo", "directory.csv"));
        var shared = File.ReadAllLines(Ivr.Testing.RepositoryPaths.ScenarioDirectoryCsv);

        Assert.That(demo[0], Is.EqualTo(shared[0]), "the same columns");
        Assert.That(demo, Is.SupersetOf(shared));
    }

    [GeneratedRegex(@"^agi://\$\{(?<host>[A-Z_]+)\}:(?<port>[0-9]+)/(?<script>[a-z-]+)$")]
    private static partial Regex AgiUrl();

    [GeneratedRegex(@"<(?<number>[^>]+)>\s*$")]
    private static partial Regex CallerNumber();
}
