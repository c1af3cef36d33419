namespace Ivr.CallFlow;

/// <summary>The words a <see cref="SettingUnit"/> is written as in the store, the audit trail and scenario files.</summary>
public static class SettingUnitNames
{
    public static string ToName(this SettingUnit unit) => unit switch
    {
        SettingUnit.Line => "line",
        SettingUnit.Number => "number",
        SettingUnit.AdminUser => "admin-user",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, null),
    };

    public static bool TryParse(string? name, out SettingUnit unit)
    {
        switch (name)
        {
            case "line": unit = SettingUnit.Line; return true;
            case "number": unit = SettingUnit.Number; return true;
            case "admin-user": unit = SettingUnit.AdminUser; return true;
            default: unit = default; return false;
        }
    }
}
