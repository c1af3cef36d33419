using Ivr.Domain;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Ivr.Lab.Scenarios;

/// <summary>Reads scenario files (SPEC §6). Anything malformed is a <see cref="ScenarioFileException"/> naming the file and the problem.</summary>
public static class ScenarioFile
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(HyphenatedNamingConvention.Instance)
        .Build();

    /// <summary>Every scenario in the given files and folders (a folder contributes its <c>*.yaml</c> files, by name).</summary>
    public static IReadOnlyList<(string Path, Scenario Scenario)> LoadAll(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*.yaml").Concat(Directory.EnumerateFiles(path, "*.yml")).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                throw new ScenarioFileException($"{path}: no such file or folder");
            }
        }
        if (files.Count == 0)
        {
            throw new ScenarioFileException("no scenario files found");
        }
        return files.Select(file => (file, Load(file))).ToList();
    }

    public static Scenario Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new ScenarioFileException($"{path}: {e.Message}");
        }
        return Parse(text, path);
    }

    public static Scenario Parse(string yaml, string source)
    {
        Document? document;
        try
        {
            document = Yaml.Deserialize<Document?>(yaml);
        }
        catch (YamlException e)
        {
            var reason = (e.InnerException?.Message ?? e.Message).ReplaceLineEndings(" ");
            throw new ScenarioFileException($"{source}: line {e.Start.Line}: {reason}");
        }
        return Validate(document ?? throw new ScenarioFileException($"{source}: the file is empty"), source);
    }

    private static Scenario Validate(Document d, string source)
    {
        ScenarioFileException Problem(string problem) => new($"{source}: {problem}");

        var name = NonBlank(d.Name) ?? throw Problem("'name' is missing");
        var caller = NonBlank(d.Caller) ?? throw Problem("'caller' is missing");
        if (d.Steps is not { Count: > 0 })
        {
            throw Problem("'steps' is missing or empty");
        }
        var steps = new List<ScenarioStep>();
        foreach (var (step, number) in d.Steps.Select((step, i) => (step, i + 1)))
        {
            if (step.Press is not null && !IsValidPress(step.Press))
            {
                throw Problem($"step {number}: press '{step.Press}' is not digits, '#', '*', 'timeout' or 'hangup'");
            }
            steps.Add(new ScenarioStep(step.Hear ?? [], step.Press));
        }
        var end = d.End switch
        {
            "system-hangup" => ScenarioEnd.SystemHangup,
            "caller-hangup" => ScenarioEnd.CallerHangup,
            null => throw Problem("'end' is missing"),
            _ => throw Problem($"'end' must be system-hangup or caller-hangup, not '{d.End}'"),
        };
        var outcome = NonBlank(d.Outcome) ?? throw Problem("'outcome' is missing");
        var credentials = (d.Credentials ?? []).Select((c, i) => new ExpectedCredential(
            c.Login ?? throw Problem($"credentials[{i + 1}]: 'login' is missing"),
            c.Unit ?? throw Problem($"credentials[{i + 1}]: 'unit' is missing"),
            c.TemporaryPassword ?? throw Problem($"credentials[{i + 1}]: 'temporary-password' is missing"))).ToList();
        return new Scenario(name, caller, d.CallingPresentation, steps, end, outcome, credentials, d.Unchanged ?? []);
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static bool IsValidPress(string press) =>
        press is "timeout" or "hangup" || (press.Length > 0 && press.All(c => char.IsAsciiDigit(c) || c is '#' or '*'));

    // The file's shape, as YamlDotNet fills it; unknown keys are refused by the deserializer.
    private sealed class Document
    {
        public string? Name { get; set; }
        public string? Caller { get; set; }
        public int? CallingPresentation { get; set; }
        public List<StepDocument>? Steps { get; set; }
        public string? End { get; set; }
        public string? Outcome { get; set; }
        public List<CredentialDocument>? Credentials { get; set; }
        public List<string>? Unchanged { get; set; }
    }

    private sealed class StepDocument
    {
        public List<string>? Hear { get; set; }
        public string? Press { get; set; }
    }

    private sealed class CredentialDocument
    {
        public string? Login { get; set; }
        public string? Unit { get; set; }
        public string? TemporaryPassword { get; set; }
    }
}
