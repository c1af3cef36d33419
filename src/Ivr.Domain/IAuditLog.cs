namespace Ivr.Domain;

/// <summary>The audit trail: one row per call, whatever its outcome (SPEC §4).</summary>
public interface IAuditLog
{
    Task WriteAsync(CallRecord record, CancellationToken cancellationToken);
}
