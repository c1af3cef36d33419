namespace Ivr.Domain;

/// <summary>The line a call comes from, as the contract directory knows it: a subscribed number of an active contract.</summary>
/// <param name="Number">The caller's number in national format.</param>
/// <param name="ContractId">The contract the line belongs to.</param>
/// <param name="MainNumber">The contract's main number (ご契約電話番号).</param>
public sealed record CallerLine(string Number, string ContractId, string MainNumber)
{
    public bool IsMainNumber => Number == MainNumber;
}
