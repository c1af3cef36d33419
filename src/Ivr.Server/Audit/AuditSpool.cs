using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ivr.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ivr.Server.Audit;

/// <summary>
/// Audit rows the database could not take, kept on the server's disk until it can (issue 14): one file per row, the
/// whole <see cref="CallRecord"/> as JSON (so fields added to the record later are kept too), named so that the
/// names' order is the order the rows were kept. Each is written under a temporary name, flushed to disk, renamed,
/// and its folder flushed, so a row the spool took survives a crash or a power cut. One spool per server process.
/// </summary>
public sealed class AuditSpool
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private const string RowPattern = "*.json";
    private const string PartExtension = ".part";
    private const string RejectedExtension = ".rejected";

    private readonly int _limit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly bool _usable;
    private int _count;
    private long _lastName;

    public AuditSpool(IOptions<ServerOptions> options, TimeProvider time, ServerMetrics metrics, ILogger<AuditSpool> logger)
    {
        Folder = Path.GetFullPath(options.Value.AuditSpool);
        _limit = options.Value.AuditSpoolLimit;
        _time = time;
        _logger = logger;
        try
        {
            Directory.CreateDirectory(Folder);
            // A row whose write a crash interrupted was never taken: its call had not been told it was kept.
            foreach (var part in Directory.EnumerateFiles(Folder, "*" + PartExtension))
            {
                File.Delete(part);
            }
            var waiting = Waiting();
            _count = waiting.Count;
            _lastName = waiting.Count > 0 ? long.Parse(Path.GetFileNameWithoutExtension(waiting[^1]), System.Globalization.CultureInfo.InvariantCulture) : 0;
            _usable = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            Log.AuditSpoolUnusable(logger, Folder, e);
        }
        metrics.ObserveAuditSpool(() => Count);
    }

    /// <summary>The spool's folder (<c>IVR_AUDIT_SPOOL</c>), as a full path.</summary>
    public string Folder { get; }

    /// <summary>Rows waiting.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Keeps <paramref name="record"/> durably; throws when the spool is full or its disk fails (the row is then lost, and logged).</summary>
    public void Add(CallRecord record)
    {
        lock (_lock)
        {
            if (!_usable)
            {
                throw new IOException($"the audit spool {Folder} cannot be used");
            }
            if (_count >= _limit)
            {
                Log.AuditSpoolFull(_logger, record.CallId, _limit, Folder);
                throw new IOException($"the audit spool {Folder} is full ({_limit} rows)");
            }
            // Names only grow, even if the clock steps back: their order is the rows' order.
            _lastName = Math.Max(_time.GetUtcNow().UtcTicks, _lastName + 1);
            var row = Path.Combine(Folder, $"{_lastName:D19}.json");
            var part = row + PartExtension;
            using (var stream = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, record, Json);
                stream.Flush(flushToDisk: true);
            }
            File.Move(part, row);
            FlushFolder();
            Interlocked.Increment(ref _count); // the drain's removals run outside the lock
        }
    }

    /// <summary>The files of the rows waiting, oldest first.</summary>
    public IReadOnlyList<string> Waiting() =>
        Directory.EnumerateFiles(Folder, RowPattern).Order(StringComparer.Ordinal).ToList();

    public static CallRecord Read(string file) =>
        JsonSerializer.Deserialize<CallRecord>(File.ReadAllBytes(file), Json) ?? throw new JsonException($"{file} holds no audit row");

    /// <summary>The row is in the database: it no longer waits. (Were the process to die first, writing it again changes nothing.)</summary>
    public void Remove(string file)
    {
        File.Delete(file);
        Interlocked.Decrement(ref _count);
    }

    /// <summary>The row can never be written (unreadable, or refused by the schema): set aside for the operators, out of the queue.</summary>
    public string Reject(string file)
    {
        var rejected = file + RejectedExtension;
        File.Move(file, rejected, overwrite: true);
        Interlocked.Decrement(ref _count);
        return rejected;
    }

    // A renamed file is durable only once its folder's entry is: fsync(2) on the folder, which .NET has no call for.
    private void FlushFolder()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var folder = Open(Folder, 0);
        if (folder < 0)
        {
            throw new IOException($"cannot open {Folder} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }
        try
        {
            if (Fsync(folder) != 0)
            {
                throw new IOException($"cannot flush {Folder} (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(folder);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int descriptor);
}
