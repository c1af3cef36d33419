using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Ivr.FastAgi;
using Ivr.Hosting;
using Ivr.Server;
using Microsoft.Extensions.Configuration;

namespace Ivr.Assets.Tests;

/// <summary>The Docker stack: what runs, in which order, who may reach whom, and where the secrets come from.</summary>
public partial class ComposeTests
{
    private const string IvrImage = "temp-password-ivr:local";

    private static readonly ComposeFile Compose = ComposeFile.Read();

    private static IEnumerable<string> IvrServices => Compose.ServiceNames.Where(service => Compose.Scalar(service, "image") == IvrImage);

    [Test]
    public void The_stack_is_the_database_the_migrations_the_service_the_website_and_asterisk()
    {
        Assert.That(Compose.ServiceNames, Is.EquivalentTo(new[] { "postgres", "migrate", "ivr", "web", "asterisk" }));
        Assert.That(IvrServices, Is.EquivalentTo(new[] { "migrate", "ivr", "web" }));
    }

    [Test]
    public void Every_ivr_process_runs_the_one_image_built_from_docker_Dockerfile_at_the_repository_root()
    {
        var builders = IvrServices.Where(service => Compose.Service(service).Children.ContainsKey("build")).ToList();

        Assert.That(builders, Has.Count.EqualTo(1), "built once, then shared");
        var build = Compose.Service(builders[0])["build"];
        var context = Path.GetFullPath(Path.Combine(Assets.PathOf("docker"), build["context"].ToString()));
        Assert.That(context, Is.EqualTo(Path.GetFullPath(Assets.PathOf())));
        Assert.That(File.Exists(Path.Combine(context, build["dockerfile"].ToString())), build["dockerfile"].ToString());
    }

    [TestCase("postgres")]
    [TestCase("ivr")]
    [TestCase("web")]
    [TestCase("asterisk")]
    public void Every_long_running_service_has_a_health_check(string service) =>
        Assert.That(Compose.List(service, "healthcheck", "test"), Has.Count.GreaterThan(1));

    [Test]
    public void Migrations_run_to_completion_before_any_ivr_process_serves_and_asterisk_waits_for_the_service()
    {
        Assert.That(Compose.DependsOn("migrate"), Is.EqualTo(new Dictionary<string, string> { ["postgres"] = "service_healthy" }));
        Assert.That(Compose.DependsOn("ivr"), Is.EqualTo(new Dictionary<string, string> { ["migrate"] = "service_completed_successfully" }));
        Assert.That(Compose.DependsOn("web"), Is.EqualTo(new Dictionary<string, string> { ["migrate"] = "service_completed_successfully" }));
        Assert.That(Compose.DependsOn("asterisk"), Is.EqualTo(new Dictionary<string, string> { ["ivr"] = "service_healthy" }));

        var migration = string.Join(' ', Compose.List("migrate", "entrypoint"));
        Assert.That(migration, Does.Match(@"db migrate && .*directory import /demo/directory\.csv"));
        Assert.That(Compose.List("migrate", "volumes"), Does.Contain("../demo/directory.csv:/demo/directory.csv:ro"));
    }

    [TestCase("ivr", "Listen")]
    [TestCase("web", "Web:Listen")]
    public void A_health_check_watches_the_port_its_service_listens_on(string service, string setting)
    {
        var configuration = IvrConfiguration.Load(Compose.Environment(service));
        var listen = EndPoints.Parse(configuration[setting] ?? (setting == "Listen" ? new ServerOptions().Listen : new Ivr.Web.WebsiteOptions().Listen.ToString()), setting);
        var watched = ListeningPort().Match(Compose.List(service, "healthcheck", "test")[^1]);

        Assert.That(listen.Address, Is.EqualTo(IPAddress.Any), "reachable from the other containers");
        Assert.That(watched.Success, "the check reads the listening sockets from /proc/net/tcp");
        Assert.That(int.Parse(watched.Groups["port"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture), Is.EqualTo(listen.Port));
    }

    [Test]
    public void Only_asterisk_may_speak_fastagi_to_the_service()
    {
        var asterisk = Compose.Address("asterisk");
        var subnet = Compose.Subnet();
        var server = IvrConfiguration.Load(Compose.Environment("ivr")).Get<ServerOptions>()!;
        var allowList = new PeerAllowList(PeerAllowList.Parse(server.AgiAllow), TimeProvider.System);

        Assert.That(subnet.Contains(asterisk), "Asterisk's fixed address is on the stack's network");
        Assert.That(allowList.Allows(asterisk));
        var others = Enumerable.Range(1, 20).Select(host => new IPAddress([.. subnet.BaseAddress.GetAddressBytes()[..3], (byte)host])).Where(address => !address.Equals(asterisk));
        Assert.That(others.Where(allowList.Allows), Is.Empty, "the gateway, the database and the website are not Asterisk");
        Assert.That(Compose.Environment("asterisk")["IVR_HOST"], Is.EqualTo("ivr"));
        Assert.That(Compose.List("ivr", "ports"), Is.Empty, "the FastAGI port is not published outside the stack");
    }

    [Test]
    public void Secrets_live_only_in_the_env_file_that_git_ignores()
    {
        foreach (var service in Compose.ServiceNames)
        {
            foreach (var (name, value) in Compose.Environment(service))
            {
                // Once its ${…} interpolations are taken out, no value holds a secret written into the file.
                var literal = Interpolation().Replace(value, "");
                Assert.That(SecretName().IsMatch(name) ? literal : "", Is.Empty, $"{service}: {name}");
                Assert.That(literal, Does.Not.Match("Password=[^;]"), $"{service}: {name}");
            }
        }
        Assert.That(IvrServices.Select(service => Compose.Scalar(service, "env_file")), Is.All.EqualTo(".env"));
        Assert.That(Compose.Scalar("asterisk", "env_file"), Is.Null, "Asterisk needs the AGI key, not the database's secrets");
        Assert.That(File.ReadAllLines(Assets.PathOf(".gitignore")), Does.Contain("docker/.env"));
    }

    [Test]
    public void The_env_example_names_every_variable_the_stack_reads_and_gives_no_secret_away()
    {
        var example = File.ReadAllLines(Assets.PathOf("docker", ".env.example"))
            .Where(line => line.Length > 0 && !line.StartsWith('#')).Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
        var interpolated = InterpolatedName().Matches(Assets.Read("docker", "compose.yaml")).Select(match => match.Groups["name"].Value).Distinct();

        Assert.That(example.Keys, Is.SupersetOf(interpolated).And.Contains("IVR_PEPPER"));
        Assert.That(example.Values, Is.All.Empty, "the operator chooses every secret");
    }

    [Test]
    public void Asterisk_gets_the_lab_dialplan_every_file_it_includes_and_the_prompts_read_only()
    {
        var mounts = Compose.List("asterisk", "volumes").Select(volume => volume.Split(':')).ToDictionary(parts => parts[1], parts => parts);
        var includes = AsteriskConfig.Read("dialplan", "lab", "extensions.conf").Includes;

        var expected = new[] { "extensions.conf", "pjsip.conf", "rtp.conf" }.Concat(includes).Select(file => $"/etc/asterisk/{file}")
            .Append("/var/lib/asterisk/sounds/ja");
        Assert.That(mounts.Keys, Is.EquivalentTo(expected));
        Assert.That(mounts["/etc/asterisk/extensions.conf"][0], Is.EqualTo("../dialplan/lab/extensions.conf"));
        Assert.That(mounts["/var/lib/asterisk/sounds/ja"][0], Is.EqualTo("../prompts/ja"));
        foreach (var (target, parts) in mounts)
        {
            Assert.That(Path.Exists(Path.Combine(Assets.PathOf("docker"), parts[0])), parts[0]);
            Assert.That(parts, Has.Length.EqualTo(3), target);
            Assert.That(parts[^1], Is.EqualTo("ro"), target);
        }
    }

    [Test]
    public void Asterisk_publishes_the_sip_port_and_exactly_the_rtp_range_it_uses()
    {
        var rtp = AsteriskConfig.Read("dialplan", "lab", "rtp.conf").Section("general");
        var pjsip = AsteriskConfig.Read("dialplan", "lab", "pjsip.conf");
        var sipPort = pjsip.Value(pjsip.Objects("transport").Single(), "bind")!.Split(':')[^1];
        var range = $"{rtp.Values("rtpstart").Single()}-{rtp.Values("rtpend").Single()}";

        Assert.That(Compose.List("asterisk", "ports"), Is.EquivalentTo(new[] { $"{sipPort}:{sipPort}/udp", $"{range}:{range}/udp" }));
    }

    [Test]
    public void Every_image_pulled_from_a_registry_is_pinned_to_a_release()
    {
        var pulled = Compose.ServiceNames.Select(service => Compose.Scalar(service, "image")!).Where(image => image != IvrImage).ToList();

        Assert.That(pulled, Has.Count.EqualTo(2));
        Assert.That(pulled, Has.All.Match(@"^[a-z0-9/._-]+(:[0-9]+\.[0-9]+(\.[0-9]+)?[_-][a-z0-9._-]+|@sha256:[0-9a-f]{64})$"), "a release and its base system, or a digest");
    }

    [Test]
    public void The_database_volume_is_where_the_pinned_postgresql_keeps_its_data()
    {
        var major = int.Parse(Regex.Match(Compose.Scalar("postgres", "image")!, ":([0-9]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var volume = Compose.List("postgres", "volumes").Single().Split(':');

        // From PostgreSQL 18 the official image keeps its data in /var/lib/postgresql/<major>/docker.
        Assert.That(volume[1], Is.EqualTo(major >= 18 ? "/var/lib/postgresql" : "/var/lib/postgresql/data"));
        Assert.That(Compose.Section("volumes")!.Children.Keys.Select(key => key.ToString()), Does.Contain(volume[0]), "a named volume outlives the container");
    }

    [GeneratedRegex(@"\$\{[^}]*\}")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"\$\{(?<name>[A-Z_]+)")]
    private static partial Regex InterpolatedName();

    [GeneratedRegex("PASSWORD|PEPPER|SECRET|KEY")]
    private static partial Regex SecretName();

    [GeneratedRegex(@":(?<port>[0-9A-F]{4}) \S*:0000 0A")]
    private static partial Regex ListeningPort();
}
