using Ivr.CallFlow;
using Ivr.Domain;
using Ivr.EndToEnd.Tests.Support;
using Ivr.Store;
using Ivr.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ivr.EndToEnd.Tests;

/// <summary>
/// SPEC §3 with the real store: a number moved to another contract between keying and commit is refused
/// inside the commit's transaction, for every unit, and nothing is written.
/// </summary>
[NonParallelizable]
public class IdentityRuleTests
{
    private TestDatabase _database = null!;
    private StoreServices _store = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        _database = await TestDatabase.CreateAsync(RepositoryPaths.ScenarioDirectoryCsv);
        _store = StoreServices.Compose(_database.Configuration());
    }

    [TearDown]
    public async Task DropDatabase()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }

    public static IEnumerable<TestCaseData> MidCallMoves()
    {
        var keyNumber = (PromptId.EnterNumber, "0612345679#");
        var password = (PromptId.EnterPassword, "86420975");
        var register = (PromptId.EnterPasswordRegister, "86420975");
        var confirm = (PromptId.ConfirmPassword, "86420975");
        yield return new TestCaseData("0612345679", "0612345679", "0612345678", new[] { (PromptId.SelectUnit, "1"), password, confirm })
            .SetName("Line unit: the calling additional line moved to another contract mid-call is refused");
        yield return new TestCaseData("0612345678", "0612345679", "0612345679", new[] { (PromptId.SelectUnit, "2"), keyNumber, password, confirm })
            .SetName("Number unit: the keyed number moved to another contract mid-call is refused");
        yield return new TestCaseData("0612345678", "0612345679", "0612345679", new[] { (PromptId.SelectUnit, "3"), keyNumber, password, confirm })
            .SetName("Admin/user unit from the main number: the keyed number moved mid-call is refused");
        yield return new TestCaseData("0612345679", "0612345679", "0612345679", new[] { (PromptId.SelectUnit, "3"), register, confirm })
            .SetName("Admin/user unit from an additional number: the caller's line moved mid-call is refused");
    }

    [TestCaseSource(nameof(MidCallMoves))]
    public async Task A_number_moved_between_keying_and_commit_writes_nothing(
        string caller, string moved, string target, (PromptId, string)[] answers)
    {
        var line = new ScriptedCaller(answers);
        // Just before the confirmation is keyed, the directory moves the number to contract C002.
        line.Before[PromptId.ConfirmPassword] = () => _store.Directory.ImportAsync(
            [new DirectoryRow("C002", "0698765432", NumberKind.Main, true, true), new DirectoryRow("C002", moved, NumberKind.Additional, true, true)],
            CancellationToken.None);

        var outcome = await RunCallAsync(caller, line);

        Assert.That(outcome, Is.EqualTo(CallOutcome.NotContracted));
        Assert.That(line.Heard[^2..], Is.EqualTo(new[] { PromptId.NotContracted.Value, "hangup" }));
        Assert.That(await _store.Login.ShowAsync(target, CancellationToken.None), Is.Null, "no credential may be written");
        Assert.That(await _store.Login.ShowAsync(moved, CancellationToken.None), Is.Null, "no credential may be written");
    }

    [Test]
    public async Task A_contract_deactivated_mid_call_refuses_the_line_unit()
    {
        var line = new ScriptedCaller((PromptId.SelectUnit, "1"), (PromptId.EnterPassword, "86420975"), (PromptId.ConfirmPassword, "86420975"));
        line.Before[PromptId.ConfirmPassword] = () => _store.Directory.ImportAsync(
            [new DirectoryRow("C001", "0612345678", NumberKind.Main, true, false), new DirectoryRow("C001", "0612345679", NumberKind.Additional, true, false)],
            CancellationToken.None);

        var outcome = await RunCallAsync("0612345678", line);

        Assert.That(outcome, Is.EqualTo(CallOutcome.NotContracted));
        Assert.That(await _store.Login.ShowAsync("0612345678", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task The_same_call_without_the_move_commits()
    {
        var line = new ScriptedCaller((PromptId.SelectUnit, "2"), (PromptId.EnterNumber, "0612345679#"), (PromptId.EnterPassword, "86420975"), (PromptId.ConfirmPassword, "86420975"));

        var outcome = await RunCallAsync("0612345678", line);

        Assert.That(outcome, Is.EqualTo(CallOutcome.Completed));
        var state = await _store.Login.ShowAsync("0612345679", CancellationToken.None);
        Assert.That(state, Is.Not.Null);
        Assert.That(state!.ContractId, Is.EqualTo("C001"));
    }

    [Test]
    public async Task A_caller_of_one_contract_never_reaches_another_contracts_number()
    {
        var line = new ScriptedCaller(
            (PromptId.SelectUnit, "2"), (PromptId.EnterNumber, "0698765432#"),
            (PromptId.EnterNumber, "0698765433#"), (PromptId.EnterNumber, "05011112222#"));

        var outcome = await RunCallAsync("0612345678", line);

        Assert.That(outcome, Is.EqualTo(CallOutcome.TooManyErrors));
        foreach (var other in new[] { "0698765432", "0698765433", "05011112222" })
        {
            Assert.That(await _store.Login.ShowAsync(other, CancellationToken.None), Is.Null);
        }
    }

    private async Task<CallOutcome> RunCallAsync(string caller, ScriptedCaller line)
    {
        var flow = new TemporaryPasswordCall(
            line, _store.Directory, _store.Credentials, _store.Audit, new CallFlowOptions(), TimeProvider.System,
            NullLogger<TemporaryPasswordCall>.Instance, new CallFlowMetrics(TestServices.MeterFactory()));
        return (await flow.RunAsync(new IncomingCall($"identity-{Guid.NewGuid():N}", caller, 0), CancellationToken.None)).Outcome;
    }
}
