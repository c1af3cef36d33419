using System.ComponentModel.DataAnnotations;

namespace Ivr.CallFlow;

/// <summary>Settings of the call flow.</summary>
public sealed class CallFlowOptions
{
    /// <summary>Bad inputs allowed per call; the third plays <c>too-many-errors</c> (SPEC §2).</summary>
    public const int MaxBadInputs = 3;

    /// <summary>Keys collected at <c>select-unit</c>.</summary>
    public const int MenuDigits = 1;

    /// <summary>Keys collected for a number: E.164's maximum, above any Japanese number, so <c>#</c> always ends it.</summary>
    public const int NumberDigits = 15;

    /// <summary>
    /// How long the caller has to press the first key, and between keys (Asterisk's <c>GET DATA</c> applies one
    /// timeout to both). The default value is 10 seconds (SPEC §2).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan InputTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the audit row may take to write after the call ended. The default value is 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan AuditTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws a one-line <see cref="ValidationException"/> when a setting is out of range.</summary>
    public CallFlowOptions Validate()
    {
        Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
        return this;
    }
}
