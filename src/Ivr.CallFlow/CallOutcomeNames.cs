namespace Ivr.CallFlow;

/// <summary>The words a <see cref="CallOutcome"/> is written as in the audit trail and scenario files.</summary>
public static class CallOutcomeNames
{
    public static string ToName(this CallOutcome outcome) => outcome switch
    {
        CallOutcome.Completed => "completed",
        CallOutcome.TooManyErrors => "too-many-errors",
        CallOutcome.CallerHungUp => "caller-hung-up",
        CallOutcome.NotContracted => "not-contracted",
        CallOutcome.CallerIdRequired => "caller-id-required",
        CallOutcome.SystemError => "system-error",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public static bool TryParse(string? name, out CallOutcome outcome)
    {
        foreach (var candidate in Enum.GetValues<CallOutcome>())
        {
            if (candidate.ToName() == name)
            {
                outcome = candidate;
                return true;
            }
        }
        outcome = default;
        return false;
    }
}
