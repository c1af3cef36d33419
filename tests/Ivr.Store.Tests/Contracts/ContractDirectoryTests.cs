using Ivr.Domain;
using Ivr.Testing;

namespace Ivr.Store.Tests.Contracts;

// The shared directory: C001 main 0612345678, additional 0612345679, unsubscribed 0612345670; C002 main
// 0698765432, additional 0698765433; C003 (inactive) main 0311112222; C004 main 05011112222, additional 05011112223.
public sealed class ContractDirectoryTests
{
    private TestStore _store = null!;

    [SetUp]
    public async Task CreateStore() => _store = await TestStore.CreateAsync();

    [TearDown]
    public async Task DropStore() => await _store.DisposeAsync();

    [Test]
    public async Task First_import_inserts_every_contract_and_number()
    {
        var result = await _store.LoadDirectoryAsync();

        Assert.That(result, Is.EqualTo(new DirectoryImportResult(
            ContractsInserted: 4, ContractsUpdated: 0, NumbersInserted: 8, NumbersUpdated: 0, CredentialsRevoked: 0)));
    }

    [Test]
    public async Task A_second_import_of_the_same_file_changes_nothing()
    {
        await _store.LoadDirectoryAsync();

        var result = await _store.LoadDirectoryAsync();

        Assert.That(result, Is.EqualTo(new DirectoryImportResult(0, 0, 0, 0, 0)));
    }

    [Test]
    public async Task An_import_updates_what_changed_and_only_that()
    {
        await _store.LoadDirectoryAsync();
        var rows = DirectoryFixture.Read().Select(row => row.PhoneNumber == "0612345670" ? row with { Subscribed = true } : row).ToList();

        var result = await _store.Directory.ImportAsync(rows, CancellationToken.None);

        Assert.That(result, Is.EqualTo(new DirectoryImportResult(0, 0, 0, NumbersUpdated: 1, 0)));
        Assert.That(await _store.Directory.FindCallerLineAsync("0612345670", CancellationToken.None),
            Is.EqualTo(new CallerLine("0612345670", "C001", "0612345678")));
    }

    [Test]
    public async Task A_new_main_number_makes_the_former_one_additional()
    {
        await _store.LoadDirectoryAsync();

        var result = await _store.Directory.ImportAsync(
        [
            new DirectoryRow("C001", "0612345679", NumberKind.Main, true, true),
        ], CancellationToken.None);

        Assert.That(result, Is.EqualTo(new DirectoryImportResult(0, ContractsUpdated: 1, 0, NumbersUpdated: 2, 0)));
        var formerMain = await _store.Directory.FindCallerLineAsync("0612345678", CancellationToken.None);
        Assert.That(formerMain, Is.EqualTo(new CallerLine("0612345678", "C001", "0612345679")));
        Assert.That(formerMain!.IsMainNumber, Is.False);
    }

    [Test]
    public async Task A_number_moved_to_another_contract_loses_its_credential()
    {
        await _store.LoadDirectoryAsync();
        var caller = (await _store.Directory.FindCallerLineAsync("0612345678", CancellationToken.None))!;
        await _store.Credentials.SetTemporaryPasswordAsync(TestRequests.TemporaryPassword(caller, SettingUnit.Number, "0612345679"), CancellationToken.None);

        var result = await _store.Directory.ImportAsync(
            [new DirectoryRow("C002", "0612345679", NumberKind.Additional, true, true), new DirectoryRow("C002", "0698765432", NumberKind.Main, true, true)],
            CancellationToken.None);

        Assert.That(result.CredentialsRevoked, Is.EqualTo(1));
        Assert.That(await _store.Login.ShowAsync("0612345679", CancellationToken.None), Is.Null);
        Assert.That(await _store.Directory.FindCallerLineAsync("0612345679", CancellationToken.None),
            Is.EqualTo(new CallerLine("0612345679", "C002", "0698765432")));
    }

    [Test]
    public async Task An_import_that_would_leave_a_contract_without_its_main_number_is_refused_whole()
    {
        await _store.LoadDirectoryAsync();

        var failure = Assert.ThrowsAsync<DirectoryImportException>(() => _store.Directory.ImportAsync(
            [new DirectoryRow("C002", "0612345678", NumberKind.Additional, true, false), new DirectoryRow("C002", "0698765432", NumberKind.Main, true, false)],
            CancellationToken.None));

        Assert.That(failure!.Message, Is.EqualTo("contract C001 would be left without its main number; list its new main number in the same file"));
        Assert.That(await _store.Directory.FindCallerLineAsync("0698765432", CancellationToken.None), Is.Not.Null, "C002 must still be active");
    }

    [Test]
    public void Rows_built_in_code_are_checked_like_a_file()
    {
        var failure = Assert.ThrowsAsync<ArgumentException>(() => _store.Directory.ImportAsync(
            [new DirectoryRow("C009", "0612345678", NumberKind.Main, true, true), new DirectoryRow("C009", "061234567", NumberKind.Additional, true, true)],
            CancellationToken.None));

        Assert.That(failure!.Message, Does.StartWith("row 2: phone_number must be a national number"));
    }

    [TestCase("0612345678", "C001", "0612345678", TestName = "The main number of an active contract is a caller line")]
    [TestCase("0612345679", "C001", "0612345678", TestName = "An additional number is a caller line with its contract's main number")]
    [TestCase("05011112223", "C004", "05011112222", TestName = "An eleven-digit number is a caller line")]
    public async Task Caller_line_lookup_finds_subscribed_numbers_of_active_contracts(string number, string contractId, string mainNumber)
    {
        await _store.LoadDirectoryAsync();

        var line = await _store.Directory.FindCallerLineAsync(number, CancellationToken.None);

        Assert.That(line, Is.EqualTo(new CallerLine(number, contractId, mainNumber)));
    }

    [TestCase("0612345670", TestName = "An unsubscribed number is not a caller line")]
    [TestCase("0311112222", TestName = "A number of an inactive contract is not a caller line")]
    [TestCase("0399999999", TestName = "An unknown number is not a caller line")]
    [TestCase("", TestName = "An empty number is not a caller line")]
    public async Task Caller_line_lookup_finds_nothing_else(string number)
    {
        await _store.LoadDirectoryAsync();

        Assert.That(await _store.Directory.FindCallerLineAsync(number, CancellationToken.None), Is.Null);
    }

    [TestCase("C001", "0612345678", true)]
    [TestCase("C001", "0612345679", true)]
    [TestCase("C001", "0612345670", false)]
    [TestCase("C001", "0698765432", false)]
    [TestCase("C002", "0612345678", false)]
    [TestCase("C001", "0399999999", false)]
    public async Task Only_a_subscribed_number_of_the_contract_itself_is_one_of_its_subscribed_numbers(string contractId, string number, bool expected)
    {
        await _store.LoadDirectoryAsync();

        Assert.That(await _store.Directory.IsSubscribedNumberOfContractAsync(contractId, number, CancellationToken.None), Is.EqualTo(expected));
    }
}
