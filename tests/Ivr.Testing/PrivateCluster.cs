using System.Diagnostics;

namespace Ivr.Testing;

/// <summary>
/// A PostgreSQL cluster of the test's own (scripts/postgres.sh), which the test may stop and start: the shared test
/// cluster serves other test assemblies running at the same time.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string _folder;

    private PrivateCluster(string folder, string connectionString)
    {
        _folder = folder;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PrivateCluster> StartAsync()
    {
        var folder = Path.Combine(RepositoryPaths.Root, ".tmp", $"pg-fault-{Guid.NewGuid():N}"[..20]);
        var output = await ScriptAsync(folder, "pg_start \"$1\" >/dev/null && echo \"$PG_CONNECTION\"");
        return new PrivateCluster(folder, output.Trim());
    }

    public Task StopAsync() => ScriptAsync(_folder, "pg_ensure_installed && pg_as_owner \"$PG_BIN/pg_ctl\" -D \"$1/data\" -m fast -w stop >/dev/null");

    // Started again on the same port: postmaster.pid is gone, so read the port back from the connection string.
    public Task RestartAsync() => ScriptAsync(_folder,
        $"pg_ensure_installed && pg_as_owner \"$PG_BIN/pg_ctl\" -D \"$1/data\" -l \"$1/server.log\" -w -t 60 -o \"-c listen_addresses=127.0.0.1 -p {Port} -k $1\" start >/dev/null");

    /// <summary>
    /// Freezes the cluster as a stalled host would: SIGSTOP to the postmaster and every backend (pg_ctl cannot),
    /// so connections are accepted by the kernel and then never answered. Always <see cref="ThawAsync"/> in a finally.
    /// </summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    public Task ThawAsync() => SignalAsync("CONT");

    // The postmaster's id is the first line of postmaster.pid; its children are the backends and helpers.
    private Task SignalAsync(string signal) => ScriptAsync(_folder,
        $"pid=$(head -n 1 \"$1/data/postmaster.pid\") && kill -{signal} $pid $(ps -o pid= --ppid $pid)");

    private string Port => ConnectionString.Split(';').First(p => p.StartsWith("Port=", StringComparison.Ordinal))["Port=".Length..];

    private static async Task<string> ScriptAsync(string folder, string script)
    {
        var start = new ProcessStartInfo("bash", ["-c", $". '{RepositoryPaths.Root}/scripts/postgres.sh' && {script}", "cluster", folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"postgres script failed: {error}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
