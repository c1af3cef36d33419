namespace Ivr.Store;

/// <summary>One line of the contract directory CSV (SPEC §6): a number, its contract, and their state.</summary>
public sealed record DirectoryRow(string ContractId, string PhoneNumber, NumberKind Kind, bool Subscribed, bool Active);
