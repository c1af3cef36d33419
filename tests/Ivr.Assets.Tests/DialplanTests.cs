using System.Text.RegularExpressions;
using Ivr.Cli.Configuration;
using Ivr.Cli.Serving;
using Ivr.Testing;

namespace Ivr.Assets.Tests;

/// <summary>The dialplan reaches the server where it listens, and the lab's phones are the demo directory's callers.</summary>
public partial class DialplanTests
{
    [Test]
    public void The_setup_number_calls_the_servers_script_on_its_port()
    {
        var dialplan = Assets.Read("dialplan", "temp-password.conf");

        var agi = AgiCall().Match(dialplan);
        Assert.That(agi.Success, "the setup context calls AGI(agi://HOST:PORT/SCRIPT)");
        Assert.That(agi.Groups["script"].Value, Is.EqualTo(TemporaryPasswordScript.ScriptPath));
        Assert.That(dialplan, Does.Contain($"IVR_PORT={IvrSettings.DefaultAgiPort}"));
        Assert.That(Assets.Read("src", "Ivr.Cli", "appsettings.json"), Does.Contain($":{IvrSettings.DefaultAgiPort}\""));
    }

    [Test]
    public void The_setup_context_speaks_japanese_and_never_leaves_dead_air()
    {
        var dialplan = Assets.Read("dialplan", "temp-password.conf");

        Assert.That(dialplan, Does.Contain("Set(CHANNEL(language)=ja)"));
        Assert.That(dialplan, Does.Contain("AGISTATUS").And.Contain("Playback(temp-password/system-error)"));
    }

    [Test]
    public void The_carrier_trunk_trusts_only_the_network_asserted_identity()
    {
        var trunk = Assets.Read("dialplan", "pjsip-carrier.conf");

        Assert.That(trunk, Does.Contain("trust_id_inbound=yes").And.Contain("type=identify").And.Contain("context=from-carrier"));
        Assert.That(Assets.Read("dialplan", "extensions.conf"), Does.Match(@"\[default\]\s+exten => _X\.,1,Hangup"), "unauthenticated calls reach nothing");
    }

    [Test]
    public void Every_lab_phone_is_a_caller_of_the_demo_directory_except_the_deliberate_unknown_one()
    {
        var directory = File.ReadLines(Assets.PathOf("demo", "directory.csv")).Skip(1).Select(line => line.Split(',')[1]).ToHashSet();
        var phones = LabPhone().Matches(Assets.Read("dialplan", "lab", "pjsip.conf")).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["number"].Value);

        Assert.That(phones.Keys, Is.SupersetOf(new[] { "lab-main", "lab-additional", "lab-unsubscribed", "lab-unknown", "lab-withheld" }));
        Assert.That(directory, Does.Not.Contain(phones["lab-unknown"]), "the unknown phone must be unknown");
        foreach (var (name, number) in phones.Where(p => p.Key is not "lab-unknown" and not "lab-withheld"))
        {
            Assert.That(directory, Does.Contain(number), name);
        }
        Assert.That(Assets.Read("dialplan", "lab", "pjsip.conf"), Does.Contain("callerid_privacy=prohib"));
    }

    [Test]
    public void The_demo_directory_holds_every_row_of_the_scenarios_directory()
    {
        var demo = File.ReadAllLines(Assets.PathOf("demo", "directory.csv"));
        var shared = File.ReadAllLines(RepositoryPaths.ScenarioDirectoryCsv);

        Assert.That(demo, Is.SupersetOf(shared));
    }

    [GeneratedRegex(@"AGI\(agi://\$\{[a-z_]+\}:\$\{IVR_PORT\}/(?<script>[a-z-]+)\)")]
    private static partial Regex AgiCall();

    [GeneratedRegex(@"^\[(?<name>lab-[a-z]+)\]\(lab-phone\)(?:\n[^\[\n]+)*?\ncallerid=[^<\n]*<(?<number>[0-9]+)>", RegexOptions.Multiline)]
    private static partial Regex LabPhone();
}
