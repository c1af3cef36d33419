namespace Ivr.Domain;

/// <summary>The unit a temporary password is set for, as the caller picks it at <c>select-unit</c> (SPEC §2 step 2).</summary>
public enum SettingUnit
{
    /// <summary>Key 1, 回線単位: the credential of the contract's main number, whichever line called.</summary>
    Line = 1,

    /// <summary>Key 2, 電話番号単位: the credential of one subscribed number of the caller's contract.</summary>
    Number = 2,

    /// <summary>Key 3, 管理者/ユーザ単位: the main number is the admin, an additional number is a user.</summary>
    AdminUser = 3,
}
