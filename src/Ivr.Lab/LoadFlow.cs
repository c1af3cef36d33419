namespace Ivr.Lab;

/// <summary>A call the load benchmark repeats.</summary>
public enum LoadFlow
{
    /// <summary>Three bad inputs at the menu: eight commands, no hash, no credential written (only the audit row): the protocol path alone.</summary>
    NoWrite,

    /// <summary>A full line-unit setup: hash and commit included.</summary>
    Setup,
}
