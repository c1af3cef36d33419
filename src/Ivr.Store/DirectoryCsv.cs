namespace Ivr.Store;

/// <summary>
/// Reads the contract directory CSV (SPEC §6): <c>contract_id,phone_number,kind,subscribed,active</c>. Strict:
/// a file with any bad line is refused whole, so an import never half-applies a mistake.
/// </summary>
public static class DirectoryCsv
{
    public const string Header = "contract_id,phone_number,kind,subscribed,active";

    public static IReadOnlyList<DirectoryRow> Parse(TextReader reader)
    {
        var header = reader.ReadLine()?.Trim().TrimStart('\uFEFF');
        if (header != Header)
        {
            throw new DirectoryCsvException($"line 1: the header must be '{Header}'");
        }
        var rows = new List<DirectoryRow>();
        var lineNumbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var row = ParseRow(line, lineNumber);
            if (!lineNumbers.TryAdd(row.PhoneNumber, lineNumber))
            {
                throw new DirectoryCsvException($"line {lineNumber}: {row.PhoneNumber} is already listed on line {lineNumbers[row.PhoneNumber]}");
            }
            rows.Add(row);
        }
        CheckContracts(rows, lineNumbers);
        return rows;
    }

    private static DirectoryRow ParseRow(string line, int lineNumber)
    {
        DirectoryCsvException Problem(string problem) => new($"line {lineNumber}: {problem}");

        var fields = line.Split(',').Select(field => field.Trim()).ToArray();
        if (fields.Length != 5)
        {
            throw Problem($"expected 5 fields, found {fields.Length}");
        }
        var (contractId, number, kind, subscribed, active) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        if (contractId.Length == 0)
        {
            throw Problem("contract_id is empty");
        }
        if (number.Length is 0 or > 15 || !number.All(char.IsAsciiDigit))
        {
            throw Problem($"phone_number '{number}' must be 1 to 15 digits, national format");
        }
        return new DirectoryRow(
            contractId,
            number,
            kind switch
            {
                "main" => NumberKind.Main,
                "additional" => NumberKind.Additional,
                _ => throw Problem($"kind '{kind}' must be main or additional"),
            },
            Boolean(subscribed) ?? throw Problem($"subscribed '{subscribed}' must be true or false"),
            Boolean(active) ?? throw Problem($"active '{active}' must be true or false"));
    }

    private static bool? Boolean(string text) => text switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    private static void CheckContracts(List<DirectoryRow> rows, Dictionary<string, int> lineNumbers)
    {
        foreach (var contract in rows.GroupBy(row => row.ContractId))
        {
            var mains = contract.Where(row => row.Kind == NumberKind.Main).ToList();
            if (mains.Count != 1)
            {
                var line = lineNumbers[contract.First().PhoneNumber];
                throw new DirectoryCsvException($"line {line}: contract {contract.Key} has {mains.Count} main numbers; it needs exactly one");
            }
            if (contract.Select(row => row.Active).Distinct().Count() > 1)
            {
                var line = lineNumbers[contract.First(row => row.Active != contract.First().Active).PhoneNumber];
                throw new DirectoryCsvException($"line {line}: contract {contract.Key} is both active and inactive");
            }
        }
    }
}
