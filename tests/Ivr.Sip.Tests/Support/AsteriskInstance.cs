using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Ivr.Testing;

namespace Ivr.Sip.Tests.Support;

/// <summary>
/// A real Asterisk of the test's own: a folder with its own <c>asterisk.conf</c>, the project's dialplan, lab
/// phones, carrier trunk and Japanese prompts, SIP on a free loopback port. The files are the repository's, with
/// only the addresses changed: the transport binds loopback, the carrier's <c>match=</c> is a loopback address.
/// </summary>
internal sealed partial class AsteriskInstance : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly AsteriskBuild _build;
    private readonly Process _process;

    private AsteriskInstance(AsteriskBuild build, string folder, int sipPort, Process process)
    {
        _build = build;
        Folder = folder;
        SipEndPoint = new IPEndPoint(IPAddress.Loopback, sipPort);
        _process = process;
        Log = new AsteriskLog(System.IO.Path.Combine(folder, "log", "messages.log"));
    }

    public string Folder { get; }

    public IPEndPoint SipEndPoint { get; }

    public AsteriskLog Log { get; }

    private string ConfigFile => System.IO.Path.Combine(Folder, "etc", "asterisk.conf");

    /// <param name="agiHost">Where the FastAGI server listens (port 4573, as the dialplan says): Asterisk's <c>IVR_HOST</c>.</param>
    /// <param name="carrier">The carrier's one signalling address.</param>
    /// <param name="agiKey">Asterisk's <c>IVR_AGI_KEY</c>.</param>
    public static async Task<AsteriskInstance> StartAsync(AsteriskBuild build, IPAddress agiHost, IPAddress carrier, string agiKey)
    {
        // Short: the control socket's path must fit a Unix socket address (108 bytes).
        var folder = Directory.CreateTempSubdirectory("ivr-sip-").FullName;
        var sipPort = FreePorts.ForSip(IPAddress.Loopback);
        WriteConfiguration(build, folder, sipPort, carrier);

        var start = new ProcessStartInfo("timeout", ["--kill-after=5", "900", build.Program, "-C", System.IO.Path.Combine(folder, "etc", "asterisk.conf"), "-f", "-n"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["LD_LIBRARY_PATH"] = build.Libraries;
        start.Environment["IVR_HOST"] = agiHost.ToString();
        start.Environment["IVR_AGI_KEY"] = agiKey;
        // A watchdog: whatever happens to the test host, this Asterisk ends within 15 minutes.
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var instance = new AsteriskInstance(build, folder, sipPort, process);
        try
        {
            await instance.WaitUntilBootedAsync();
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
        return instance;
    }

    /// <summary>One CLI command (<c>asterisk -rx</c>), its output.</summary>
    public async Task<string> CommandAsync(string command)
    {
        var start = new ProcessStartInfo(_build.Program, ["-C", ConfigFile, "-rx", command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["LD_LIBRARY_PATH"] = _build.Libraries;
        using var process = Process.Start(start)!;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var output = process.StandardOutput.ReadToEndAsync(limit.Token);
        await process.WaitForExitAsync(limit.Token);
        return await output;
    }

    /// <summary>The channel of a call from <paramref name="endpoint"/> that entered the setup context after line <paramref name="from"/>.</summary>
    public async Task<(string Channel, int Line)> WaitForSetupCallAsync(string endpoint, int from)
    {
        var prefix = $"Executing [s@temp-password-setup:1] Answer(\"PJSIP/{endpoint}-";
        var line = await Log.WaitForAsync(from, text => text.Contains(prefix, StringComparison.Ordinal), TimeSpan.FromSeconds(15),
            $"a call from {endpoint} reaching the setup context");
        return (ChannelInAnswer().Match(Log.Lines[line]).Groups["channel"].Value, line);
    }

    /// <summary>Asterisk's unique id of a live channel, which the server audits the call under.</summary>
    public async Task<string> UniqueIdAsync(string channel)
    {
        // Channel!Context!Exten!Priority!State!Application!Data!CallerID!…!Uniqueid
        var concise = await CommandAsync("core show channels concise");
        var row = concise.Split('\n').FirstOrDefault(line => line.StartsWith(channel + "!", StringComparison.Ordinal))
            ?? throw new AssertionException($"{channel} is not among Asterisk's channels:\n{concise}");
        return row.Trim().Split('!')[^1];
    }

    private async Task WaitUntilBootedAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!(await CommandAsync("core waitfullybooted")).Contains("fully booted", StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new AssertionException($"Asterisk did not start (see {Log.Path})");
            }
            await Task.Delay(100);
        }
        // A [directories] section Asterisk ignored (a template, a typo) would make it use its compiled-in prefix:
        // another instance's files.
        var settings = await CommandAsync("core show settings");
        Assert.That(settings, Does.Contain($"Configuration directory:     {System.IO.Path.Combine(Folder, "etc")}"), "Asterisk read our asterisk.conf");
    }

    private static void WriteConfiguration(AsteriskBuild build, string folder, int sipPort, IPAddress carrier)
    {
        string In(params string[] parts) => System.IO.Path.Combine([folder, .. parts]);
        foreach (var sub in new[] { "etc", "lib", "spool", "run", "log", "cache" })
        {
            Directory.CreateDirectory(In(sub));
        }
        File.WriteAllText(In("etc", "asterisk.conf"), $"""
            [directories]
            astetcdir => {In("etc")}
            astmoddir => {build.Modules}
            astvarlibdir => {In("lib")}
            astdbdir => {In("lib")}
            astkeydir => {In("lib")}
            astdatadir => {In("lib")}
            astagidir => {In("lib", "agi-bin")}
            astspooldir => {In("spool")}
            astrundir => {In("run")}
            astlogdir => {In("log")}
            astcachedir => {In("cache")}
            astsbindir => {System.IO.Path.GetDirectoryName(build.Program)}

            [options]
            verbose = 5

            """);
        File.WriteAllText(In("etc", "logger.conf"), """
            [general]
            dateformat = %F %T.%3q

            [logfiles]
            messages.log => notice,warning,error,dtmf,verbose

            """);
        File.WriteAllText(In("etc", "modules.conf"), "[modules]\nautoload=yes\n");
        var rtpStart = FreePorts.RtpRange();
        File.WriteAllText(In("etc", "rtp.conf"), $"[general]\nrtpstart={rtpStart}\nrtpend={rtpStart + 199}\n");

        string Repository(params string[] parts) => File.ReadAllText(System.IO.Path.Combine([RepositoryPaths.Root, "dialplan", .. parts]));
        File.WriteAllText(In("etc", "extensions.conf"), Repository("lab", "extensions.conf"));
        File.WriteAllText(In("etc", "temp-password.conf"), Repository("temp-password.conf"));
        // The lab and the carrier trunk together: the lab's transport carries both.
        var lab = Replace(Repository("lab", "pjsip.conf"), BindLine(), $"bind=127.0.0.1:{sipPort}");
        File.WriteAllText(In("etc", "pjsip.conf"), lab + "\n#include pjsip-carrier.conf\n");
        var trunk = Replace(Repository("pjsip-carrier.conf"), MatchLines(), $"match={carrier}\n");
        trunk = Replace(trunk, ContactLine(), $"contact=sip:{carrier}:5060");
        File.WriteAllText(In("etc", "pjsip-carrier.conf"), trunk);

        CopyFolder(System.IO.Path.Combine(RepositoryPaths.Root, "prompts", "ja"), In("lib", "sounds", "ja"));
        Directory.CreateSymbolicLink(In("lib", "documentation"), build.Documentation);
    }

    private static string Replace(string text, Regex pattern, string replacement)
    {
        Assert.That(pattern.IsMatch(text), $"the repository's file has no line matching {pattern}");
        return pattern.Replace(text, replacement.Replace("$", "$$", StringComparison.Ordinal), 1);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await CommandAsync("core stop now");
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException or InvalidOperationException)
            {
                // Killed below.
            }
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"^bind=0\.0\.0\.0:5060$", RegexOptions.Multiline)]
    private static partial Regex BindLine();

    [GeneratedRegex(@"(^match=.*\n)+", RegexOptions.Multiline)]
    private static partial Regex MatchLines();

    [GeneratedRegex(@"^contact=sip:[0-9.]+:5060$", RegexOptions.Multiline)]
    private static partial Regex ContactLine();

    [GeneratedRegex("""Answer\("(?<channel>PJSIP/[^"]+)""")]
    private static partial Regex ChannelInAnswer();
}
