using Ivr.CallFlow;
using Ivr.Domain;
using Ivr.EndToEnd.Tests.Support;
using Ivr.Store;
using Ivr.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ivr.EndToEnd.Tests;

/// <summary>
/// SPEC §3 as a property: over generated directories, callers, units, keyed numbers and directory changes made in
/// the middle of calls, no call ever creates or changes a credential outside its own contract as it stands at the
/// commit. Seeded, so a failure replays; bounded in count.
/// </summary>
[NonParallelizable]
public class IdentityPropertyTests
{
    private const int Calls = 60;

    [TestCase(20261124)]
    [TestCase(7)]
    public async Task No_call_writes_a_credential_of_another_contract(int seed)
    {
        var random = new Random(seed);
        await using var database = await TestDatabase.CreateAsync();
        await using var store = StoreServices.Compose(database.Configuration());
        var directory = GeneratedDirectory(random);
        await store.Directory.ImportAsync(directory, CancellationToken.None);
        var numbers = directory.Select(row => row.PhoneNumber).ToArray();

        for (var i = 0; i < Calls; i++)
        {
            var caller = numbers[random.Next(numbers.Length)];
            var keyed = random.Next(4) == 0 ? $"0{random.Next(100_000_000, 999_999_999)}" : numbers[random.Next(numbers.Length)];
            var password = random.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var line = new ScriptedCaller(
                (PromptId.SelectUnit, random.Next(1, 4).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                (PromptId.EnterNumber, keyed), (PromptId.EnterPassword, password), (PromptId.EnterPasswordRegister, password),
                (PromptId.ConfirmPassword, password)) { Lenient = true };
            // One call in three sees the directory change under it: a number moves to a random other contract.
            if (random.Next(3) == 0)
            {
                var moved = directory.Where(row => row.Kind == NumberKind.Additional).OrderBy(_ => random.Next()).First();
                var to = directory.Where(row => row.Kind == NumberKind.Main && row.ContractId != moved.ContractId).OrderBy(_ => random.Next()).First();
                line.Before[PromptId.ConfirmPassword] = async () =>
                {
                    await store.Directory.ImportAsync([to, moved with { ContractId = to.ContractId }], CancellationToken.None);
                    directory = [.. directory.Where(row => row.PhoneNumber != moved.PhoneNumber), moved with { ContractId = to.ContractId }];
                };
            }
            var before = await SnapshotAsync(store, numbers);

            await new TemporaryPasswordCall(line,
                store.Directory, store.Credentials, store.Audit, new CallFlowOptions(), TimeProvider.System,
                NullLogger<TemporaryPasswordCall>.Instance, new CallFlowMetrics(TestServices.MeterFactory()))
                .RunAsync(new IncomingCall($"property-{seed}-{i}", caller, 0), CancellationToken.None);

            var callerContract = directory.Single(row => row.PhoneNumber == caller).ContractId;
            foreach (var (number, state) in await SnapshotAsync(store, numbers))
            {
                if (state != before[number] && state is not null)
                {
                    var owner = directory.Single(row => row.PhoneNumber == number).ContractId;
                    Assert.That(owner, Is.EqualTo(callerContract), $"seed {seed}, call {i}: {caller} ({callerContract}) wrote {number} of {owner}");
                    Assert.That(state.ContractId, Is.EqualTo(callerContract));
                }
            }
        }
    }

    private static List<DirectoryRow> GeneratedDirectory(Random random)
    {
        var rows = new List<DirectoryRow>();
        for (var contract = 0; contract < 5; contract++)
        {
            var id = $"P{contract}";
            var active = random.Next(6) != 0;
            for (var n = 0; n < random.Next(2, 5); n++)
            {
                rows.Add(new DirectoryRow(id, $"0{contract + 1}{n}0000000{contract}", n == 0 ? NumberKind.Main : NumberKind.Additional,
                    Subscribed: n == 0 || random.Next(4) != 0, active));
            }
        }
        return rows;
    }

    private static async Task<Dictionary<string, CredentialState?>> SnapshotAsync(StoreServices store, IEnumerable<string> numbers)
    {
        var states = new Dictionary<string, CredentialState?>();
        foreach (var number in numbers)
        {
            states[number] = await store.Login.ShowAsync(number, CancellationToken.None);
        }
        return states;
    }
}
