using System.Text.RegularExpressions;
using Ivr.Domain;

namespace Ivr.Store;

/// <summary>
/// What a set of directory rows must satisfy before it is imported, checked the same way for a CSV file and
/// for rows built in code: valid values, each number once, one main number per contract, one active flag per contract.
/// </summary>
internal static partial class DirectoryRules
{
    /// <summary>The first problem as (row index, one-line message), or null. <paramref name="where"/> names a row (<c>line 7</c>).</summary>
    public static (int Index, string Message)? FindProblem(IReadOnlyList<DirectoryRow> rows, Func<int, string> where)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var contracts = new Dictionary<string, (int First, int? Main)>(StringComparer.Ordinal);
        for (var index = 0; index < rows.Count; index++)
        {
            var row = rows[index];
            if (FindValueProblem(row) is { } problem)
            {
                return (index, problem);
            }
            if (!numbers.TryAdd(row.PhoneNumber, index))
            {
                return (index, $"phone number {row.PhoneNumber} is already listed on {where(numbers[row.PhoneNumber])}");
            }
            if (!contracts.TryGetValue(row.ContractId, out var contract))
            {
                contract = (index, null);
            }
            else if (rows[contract.First].Active != row.Active)
            {
                return (index, $"contract {row.ContractId} is {ActiveWord(row.Active)} here but {ActiveWord(!row.Active)} on {where(contract.First)}");
            }
            if (row.Kind == NumberKind.Main)
            {
                if (contract.Main is { } main)
                {
                    return (index, $"contract {row.ContractId} has a second main number (the first is on {where(main)})");
                }
                contract.Main = index;
            }
            contracts[row.ContractId] = contract;
        }
        foreach (var (contractId, contract) in contracts)
        {
            if (contract.Main is null)
            {
                return (contract.First, $"contract {contractId} has no main number: one of its rows must have kind main");
            }
        }
        return null;
    }

    /// <summary>A problem with one row's own values, or null; what a database CHECK would refuse less clearly.</summary>
    public static string? FindValueProblem(DirectoryRow row) =>
        !ContractIdFormat().IsMatch(row.ContractId) ? $"contract_id must be 1 to 64 letters, digits, '.', '_' or '-', not {Quoted(row.ContractId)}"
        : !PhoneNumbers.IsNational(row.PhoneNumber) ? $"phone_number must be a national number, 0 then 9 or 10 digits without hyphens, not {Quoted(row.PhoneNumber)}"
        : !Enum.IsDefined(row.Kind) ? $"kind must be main or additional, not {row.Kind}"
        : null;

    /// <summary>A value as a message shows it: quoted, control characters escaped, long values cut, so one message stays one line.</summary>
    public static string Quoted(string value)
    {
        const int MaxShown = 40;
        var shown = value.Length > MaxShown ? value[..MaxShown] + "…" : value;
        return "'" + string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) + "'";
    }

    private static string ActiveWord(bool active) => active ? "active" : "inactive";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ContractIdFormat();
}
