using Ivr.Domain;

namespace Ivr.Store;

/// <summary>
/// Reads the contract directory CSV of SPEC §6. Strict, so that an operator's mistake is refused whole, never
/// half-imported: the header line is required exactly; each line has five fields, unquoted, untrimmed;
/// booleans are <c>true</c> or <c>false</c>; numbers are national format (see <see cref="PhoneNumbers"/>);
/// each number appears once; each contract has exactly one row of kind <c>main</c>, which is its main number,
/// and the same <c>active</c> on every row. Blank lines are skipped.
/// </summary>
public static class DirectoryCsv
{
    public const string Header = "contract_id,phone_number,kind,subscribed,active";

    private const int FieldCount = 5;

    /// <exception cref="DirectoryCsvException">The first bad line, named by number, with its problem.</exception>
    public static IReadOnlyList<DirectoryRow> Parse(TextReader reader)
    {
        var header = reader.ReadLine();
        if (header?.TrimStart('\uFEFF') != Header)
        {
            throw new DirectoryCsvException(1, $"the first line must be the header {Header}");
        }
        var rows = new List<DirectoryRow>();
        var lineNumbers = new List<int>();
        var lineNumber = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                rows.Add(ParseLine(line, lineNumber));
                lineNumbers.Add(lineNumber);
            }
        }
        if (DirectoryRules.FindProblem(rows, index => $"line {lineNumbers[index]}") is { } problem)
        {
            throw new DirectoryCsvException(lineNumbers[problem.Index], problem.Message);
        }
        return rows;
    }

    private static DirectoryRow ParseLine(string line, int lineNumber)
    {
        var fields = line.Split(',');
        if (fields.Length != FieldCount)
        {
            throw new DirectoryCsvException(lineNumber, $"expected {FieldCount} fields ({Header}), found {fields.Length}");
        }
        var row = new DirectoryRow(
            fields[0],
            fields[1],
            DomainWords.TryParse(fields[2], out NumberKind kind) ? kind
                : throw new DirectoryCsvException(lineNumber, $"kind must be main or additional, not {DirectoryRules.Quoted(fields[2])}"),
            Boolean(fields[3], "subscribed", lineNumber),
            Boolean(fields[4], "active", lineNumber));
        return DirectoryRules.FindValueProblem(row) is { } problem ? throw new DirectoryCsvException(lineNumber, problem) : row;
    }

    private static bool Boolean(string field, string column, int lineNumber) => field switch
    {
        "true" => true,
        "false" => false,
        _ => throw new DirectoryCsvException(lineNumber, $"{column} must be true or false, not {DirectoryRules.Quoted(field)}"),
    };
}
