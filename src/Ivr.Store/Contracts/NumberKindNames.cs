namespace Ivr.Store;

/// <summary>The words a <see cref="NumberKind"/> is written as in the CSV and the store.</summary>
public static class NumberKindNames
{
    public static string ToName(this NumberKind kind) => kind switch
    {
        NumberKind.Main => "main",
        NumberKind.Additional => "additional",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? name, out NumberKind kind)
    {
        foreach (var candidate in Enum.GetValues<NumberKind>())
        {
            if (candidate.ToName() == name)
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }
}
