using System.Text.RegularExpressions;

namespace Ivr.Assets.Tests;

/// <summary>The service's image, read as a file: what it builds, from what, and as whom it runs.</summary>
public partial class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Assets.PathOf("docker", "Dockerfile"))
        .Where(line => line.Length > 0 && !line.StartsWith('#')).ToArray();

    /// <summary>The instructions of the last stage, the image that runs.</summary>
    private static IEnumerable<string> RuntimeStage => Lines.Skip(Array.FindLastIndex(Lines, line => line.StartsWith("FROM ", StringComparison.Ordinal)));

    [Test]
    public void The_image_publishes_the_project_the_ivr_launcher_builds()
    {
        var launched = Regex.Match(Assets.Read("ivr"), @"dotnet build ""\$root/(?<project>[^""]+\.csproj)""").Groups["project"].Value;
        var published = Regex.Match(string.Join('\n', Lines), @"dotnet publish (?<project>\S+\.csproj)").Groups["project"].Value;

        Assert.That(launched, Is.EqualTo("src/Ivr.Cli/Ivr.Cli.csproj"));
        Assert.That(published, Is.EqualTo(launched));
    }

    [Test]
    public void The_sdk_builds_and_the_runtime_image_of_the_solutions_framework_runs_it_as_a_non_root_user()
    {
        var framework = Regex.Match(Assets.Read("Directory.Build.props"), "<TargetFramework>net(?<version>[0-9.]+)</TargetFramework>").Groups["version"].Value;
        var stages = Lines.Where(line => line.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        Assert.That(stages, Is.EqualTo(new[]
        {
            $"FROM mcr.microsoft.com/dotnet/sdk:{framework} AS build",
            $"FROM mcr.microsoft.com/dotnet/aspnet:{framework} AS runtime",
        }));
        Assert.That(RuntimeStage.Where(line => line.StartsWith("COPY ", StringComparison.Ordinal)), Has.All.StartWith("COPY --from=build "), "only the published program");
        var user = RuntimeStage.Last(line => line.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..].Trim();
        Assert.That(user, Is.Not.EqualTo("root").And.Not.EqualTo("0").And.Not.StartWith("0:"));
    }

    [Test]
    public void The_image_carries_the_websites_static_files_where_the_website_serves_them()
    {
        var workingDirectory = RuntimeStage.Last(line => line.StartsWith("WORKDIR ", StringComparison.Ordinal))["WORKDIR ".Length..].Trim();

        Assert.That(Directory.Exists(Assets.PathOf("src", "Ivr.Web", "wwwroot")));
        Assert.That(Lines, Does.Contain($"RUN cp -r src/Ivr.Web/wwwroot {workingDirectory}/wwwroot"), "the content root is the working directory");
    }

    [Test]
    public void Everything_the_build_copies_exists_and_passes_the_ignore_file()
    {
        var ignore = File.ReadAllLines(Assets.PathOf("docker", "Dockerfile.dockerignore"));
        var sources = Lines.Where(line => line.StartsWith("COPY ", StringComparison.Ordinal) && !line.StartsWith("COPY --from", StringComparison.Ordinal))
            .SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]).ToList();

        Assert.That(sources, Is.Not.Empty);
        foreach (var source in sources)
        {
            Assert.That(Path.Exists(Assets.PathOf(source)), source);
            Assert.That(ignore, Does.Contain($"!{source}"), $"{source} is let into the build context");
        }
        Assert.That(ignore, Does.Contain("**/bin/").And.Contain("**/obj/"), "local build output never reaches the image");
    }
}
