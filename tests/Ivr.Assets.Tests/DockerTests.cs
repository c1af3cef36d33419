using YamlDotNet.RepresentationModel;

namespace Ivr.Assets.Tests;

/// <summary>The container files, read as files: no Docker engine runs here.</summary>
public class DockerTests
{
    private static YamlMappingNode Compose()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(Assets.Read("docker", "compose.yaml")));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)((YamlMappingNode)Compose()["services"])[name];

    [Test]
    public void The_stack_has_its_database_migration_service_and_asterisk()
    {
        var services = (YamlMappingNode)Compose()["services"];

        Assert.That(services.Children.Keys.Select(k => k.ToString()), Is.EquivalentTo(new[] { "postgres", "migrate", "ivr", "asterisk" }));
    }

    [TestCase("postgres")]
    [TestCase("ivr")]
    [TestCase("asterisk")]
    public void Long_running_services_have_a_health_check(string service) =>
        Assert.That(Service(service).Children.ContainsKey("healthcheck"));

    [Test]
    public void Migrations_run_to_completion_before_the_service_starts()
    {
        var dependsOn = (YamlMappingNode)Service("ivr")["depends_on"];

        Assert.That(((YamlMappingNode)dependsOn["migrate"])["condition"].ToString(), Is.EqualTo("service_completed_successfully"));
        Assert.That(((YamlMappingNode)((YamlMappingNode)Service("migrate")["depends_on"])["postgres"])["condition"].ToString(), Is.EqualTo("service_healthy"));
    }

    [Test]
    public void Secrets_come_from_an_env_file_that_is_not_committed()
    {
        Assert.That(Service("ivr")["env_file"].ToString(), Is.EqualTo(".env"));
        Assert.That(Assets.Read("docker", "compose.yaml"), Does.Not.Contain("IVR_PEPPER:"));
        Assert.That(File.Exists(Assets.PathOf("docker", ".env.example")));
        Assert.That(Assets.Read(".gitignore"), Does.Contain("docker/.env"));
    }

    [Test]
    public void The_dialplan_and_prompts_are_mounted_into_asterisk()
    {
        var volumes = ((YamlSequenceNode)Service("asterisk")["volumes"]).Select(v => v.ToString()).ToList();

        Assert.That(volumes, Has.Some.StartsWith("../dialplan/temp-password.conf:"));
        Assert.That(volumes, Has.Some.StartsWith("../prompts/ja:/var/lib/asterisk/sounds/ja"));
    }

    [Test]
    public void The_image_builds_the_cli_project_and_runs_as_non_root()
    {
        var dockerfile = Assets.Read("docker", "Dockerfile");

        Assert.That(dockerfile, Does.Contain("dotnet publish src/Ivr.Cli/Ivr.Cli.csproj"));
        Assert.That(dockerfile, Does.Contain("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build").And.Contain("FROM mcr.microsoft.com/dotnet/aspnet:10.0"));
        Assert.That(dockerfile, Does.Match(@"\nUSER (?!root)\w+"));
        Assert.That(File.Exists(Assets.PathOf("src", "Ivr.Cli", "Ivr.Cli.csproj")));
    }
}
