using System.Net;
using YamlDotNet.RepresentationModel;

namespace Ivr.Assets.Tests;

/// <summary>
/// <c>docker/compose.yaml</c> read as YAML, the keys a Compose engine acts on. No Docker engine runs here, so
/// <c>docker compose config</c> cannot; the tests read the file instead.
/// </summary>
internal sealed class ComposeFile
{
    private readonly YamlMappingNode _root;

    private ComposeFile(YamlMappingNode root) => _root = root;

    public static ComposeFile Read()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(Assets.Read("docker", "compose.yaml")));
        return new ComposeFile((YamlMappingNode)yaml.Documents[0].RootNode);
    }

    private YamlMappingNode Services => (YamlMappingNode)_root["services"];

    public IEnumerable<string> ServiceNames => Services.Children.Keys.Select(key => key.ToString());

    public YamlMappingNode Service(string name) => (YamlMappingNode)Services[name];

    public YamlMappingNode? Section(string name) => _root.Children.TryGetValue(name, out var node) ? (YamlMappingNode)node : null;

    /// <summary>A scalar key of a service, or null when the service does not set it.</summary>
    public string? Scalar(string service, string key) => Service(service).Children.TryGetValue(key, out var node) ? node.ToString() : null;

    /// <summary>A service's <c>environment</c> mapping, values as written (before interpolation).</summary>
    public Dictionary<string, string> Environment(string service) =>
        Service(service).Children.TryGetValue("environment", out var node)
            ? ((YamlMappingNode)node).Children.ToDictionary(entry => entry.Key.ToString(), entry => entry.Value.ToString())
            : [];

    /// <summary>A list-valued key of a service (<c>volumes</c>, <c>ports</c>, a health check's <c>test</c>), or nothing.</summary>
    public IReadOnlyList<string> List(string service, params string[] path)
    {
        YamlNode node = Service(service);
        foreach (var key in path)
        {
            if (!((YamlMappingNode)node).Children.TryGetValue(key, out var child))
            {
                return [];
            }
            node = child;
        }
        return ((YamlSequenceNode)node).Children.Select(item => item.ToString()).ToList();
    }

    /// <summary>The fixed address a service has on the stack's network.</summary>
    public IPAddress Address(string service) =>
        IPAddress.Parse(Service(service)["networks"]["default"]["ipv4_address"].ToString());

    /// <summary>The stack's network.</summary>
    public IPNetwork Subnet() => IPNetwork.Parse(_root["networks"]["default"]["ipam"]["config"][0]["subnet"].ToString());

    /// <summary>The condition a service waits for before starting, per service it depends on.</summary>
    public Dictionary<string, string> DependsOn(string service) =>
        Service(service).Children.TryGetValue("depends_on", out var node)
            ? ((YamlMappingNode)node).Children.ToDictionary(entry => entry.Key.ToString(), entry => ((YamlMappingNode)entry.Value)["condition"].ToString())
            : [];
}
