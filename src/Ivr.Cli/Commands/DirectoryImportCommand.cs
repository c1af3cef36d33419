using System.CommandLine;
using Ivr.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Ivr.Cli.Commands;

/// <summary><c>ivr directory import FILE.csv</c>: inserts or updates contracts and numbers; importing twice changes nothing.</summary>
internal static class DirectoryImportCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = $"The directory CSV: {DirectoryCsv.Header}" };
        var command = new Command("import", "Insert or update contracts and numbers from a CSV file.") { file };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            IReadOnlyList<DirectoryRow> rows;
            try
            {
                using var reader = path.OpenText();
                rows = DirectoryCsv.Parse(reader);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageProblem($"{path}: {e.Message}");
            }
            catch (DirectoryCsvException e)
            {
                throw new UsageProblem($"{path}: {e.Message}");
            }
            await using var services = context.CreateServices();
            var result = await services.GetRequiredService<ContractDirectory>().ImportAsync(rows, cancellationToken);
            await context.Output.WriteLineAsync(
                $"imported {rows.Count} rows: contracts {result.ContractsInserted} new, {result.ContractsUpdated} changed; " +
                $"numbers {result.NumbersInserted} new, {result.NumbersUpdated} changed; {result.CredentialsRevoked} credentials revoked");
            return ExitCodes.Success;
        });
        return command;
    }
}
