namespace Ivr.CallFlow;

/// <summary>Settings of the call flow, bound from the configuration's root keys.</summary>
public sealed class CallFlowOptions
{
    /// <summary>Bad inputs allowed per call; the third plays <c>too-many-errors</c> (SPEC §2).</summary>
    public const int MaxBadInputs = 3;

    /// <summary>Keys collected at <c>select-unit</c>.</summary>
    public const int MenuDigits = 1;

    /// <summary>Keys collected for a number: E.164's maximum, above any Japanese number, so <c>#</c> always ends it.</summary>
    public const int NumberDigits = 15;

    /// <summary>
    /// How long the caller has to press the first key, and between keys (<c>IVR_INPUT_TIMEOUT</c>; Asterisk's
    /// <c>GET DATA</c> applies one timeout to both). Defaults to 10 seconds (SPEC §2).
    /// </summary>
    public TimeSpan InputTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the audit row may take to write after the call ended (<c>IVR_AUDIT_TIMEOUT</c>). Defaults to 5 seconds.</summary>
    public TimeSpan AuditTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
