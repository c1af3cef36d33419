using System.Diagnostics;
using Ivr.Testing;

namespace Ivr.Sip.Tests.Support;

/// <summary>
/// The Asterisk that <c>scripts/asterisk-lab.sh build</c> installed. The script itself says where
/// (<c>scripts/asterisk-lab.sh prefix</c>: <c>IVR_LAB_ASTERISK</c>, else its default outside any checkout), so
/// a fresh clone elsewhere on the machine finds the same build.
/// </summary>
internal sealed record AsteriskBuild(string Prefix)
{
    public string Program => Path.Combine(Prefix, "sbin", "asterisk");

    public string Modules => Path.Combine(Prefix, "lib", "asterisk", "modules");

    public string Libraries => Path.Combine(Prefix, "lib");

    /// <summary>Asterisk refuses to start without its XML documentation (stasis checks its options against it).</summary>
    public string Documentation => Path.Combine(Prefix, "var", "lib", "asterisk", "documentation");

    /// <summary>The build, or null and why not.</summary>
    public static AsteriskBuild? Find(out string reason)
    {
        var script = Path.Combine(RepositoryPaths.Root, "scripts", "asterisk-lab.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, "prefix"]) { RedirectStandardOutput = true })!;
        var prefix = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        var build = new AsteriskBuild(prefix);
        // The marker is written last, so a build that failed half-way is not taken for one.
        if (process.ExitCode == 0 && File.Exists(Path.Combine(prefix, ".ivr-lab-asterisk")) && File.Exists(build.Program))
        {
            reason = "";
            return build;
        }
        reason = $"no lab Asterisk in '{prefix}': build it with scripts/asterisk-lab.sh build (README, Real SIP tests)";
        return null;
    }
}
