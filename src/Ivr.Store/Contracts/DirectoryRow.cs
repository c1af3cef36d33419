using Ivr.Domain;

namespace Ivr.Store;

/// <summary>One number of the contract directory, as a line of its CSV gives it (SPEC §6).</summary>
/// <param name="ContractId">The contract, 1–64 letters, digits, <c>.</c>, <c>_</c> or <c>-</c>.</param>
/// <param name="PhoneNumber">The number in national format (see <see cref="PhoneNumbers"/>).</param>
/// <param name="Kind">Whether it is the contract's main number; the contract's main number is its row of kind main.</param>
/// <param name="Subscribed">Whether the number is subscribed to this service.</param>
/// <param name="Active">Whether the contract is active; the same on every row of a contract.</param>
public sealed record DirectoryRow(string ContractId, string PhoneNumber, NumberKind Kind, bool Subscribed, bool Active);
