using System.Text.Json;
using Dapper;
using Ivr.Domain;
using Ivr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ivr.Store.Tests.Credentials;

// The shared directory: C001 main 0612345678, additional 0612345679, unsubscribed 0612345670; C002 main
// 0698765432, additional 0698765433; C003 (inactive) main 0311112222.
public sealed class CredentialStoreTests
{
    private static readonly CallerLine C001Main = new("0612345678", "C001", "0612345678");
    private static readonly CallerLine C001Additional = new("0612345679", "C001", "0612345678");
    private static readonly CallerLine C002Main = new("0698765432", "C002", "0698765432");

    private TestStore _store = null!;

    [SetUp]
    public async Task CreateStore()
    {
        _store = await TestStore.CreateAsync();
        await _store.LoadDirectoryAsync();
    }

    [TearDown]
    public async Task DropStore() => await _store.DisposeAsync();

    private static IEnumerable<TestCaseData> AllowedCommits()
    {
        yield return new TestCaseData(C001Main, SettingUnit.Line, "0612345678").SetName("Line unit from the main number sets the main number");
        yield return new TestCaseData(C001Additional, SettingUnit.Line, "0612345678").SetName("Line unit from an additional number sets the main number");
        yield return new TestCaseData(C001Main, SettingUnit.Number, "0612345679").SetName("Number unit from the main number sets an additional number");
        yield return new TestCaseData(C001Additional, SettingUnit.Number, "0612345678").SetName("Number unit from an additional number sets the main number");
        yield return new TestCaseData(C001Additional, SettingUnit.Number, "0612345679").SetName("Number unit sets the caller's own number");
        yield return new TestCaseData(C001Main, SettingUnit.AdminUser, "0612345678").SetName("Admin unit from the main number sets itself");
        yield return new TestCaseData(C001Main, SettingUnit.AdminUser, "0612345679").SetName("Admin unit from the main number sets an additional number");
        yield return new TestCaseData(C001Additional, SettingUnit.AdminUser, "0612345679").SetName("User unit from an additional number sets itself");
    }

    [TestCaseSource(nameof(AllowedCommits))]
    public async Task A_commit_the_identity_rule_allows_sets_the_temporary_password(CallerLine caller, SettingUnit unit, string target)
    {
        var result = await _store.Credentials.SetTemporaryPasswordAsync(TestRequests.TemporaryPassword(caller, unit, target), CancellationToken.None);

        Assert.That(result, Is.EqualTo(CommitResult.Committed));
        var state = await _store.Login.ShowAsync(target, CancellationToken.None);
        Assert.That(state, Is.Not.Null);
        Assert.That((state!.ContractId, state.Unit, state.TemporaryPasswordValid), Is.EqualTo(("C001", unit, true)));
        Assert.That(await _store.Login.VerifyAsync(target, "12345678", null, CancellationToken.None), Is.EqualTo(LoginResult.TemporaryOk));
    }

    private static IEnumerable<TestCaseData> RefusedCommits()
    {
        yield return new TestCaseData(C001Main, SettingUnit.Line, "0612345679", RefusalReason.TargetNotAllowedForUnit).SetName("Line unit refuses an additional number");
        yield return new TestCaseData(C001Additional, SettingUnit.Line, "0698765432", RefusalReason.TargetNotInContract).SetName("Line unit refuses another contract's main number");
        yield return new TestCaseData(C001Main, SettingUnit.Number, "0698765433", RefusalReason.TargetNotInContract).SetName("Number unit refuses another contract's number");
        yield return new TestCaseData(C001Main, SettingUnit.Number, "0612345670", RefusalReason.TargetNotSubscribed).SetName("Number unit refuses an unsubscribed number of the contract");
        yield return new TestCaseData(C001Main, SettingUnit.Number, "0399999999", RefusalReason.TargetNotInContract).SetName("Number unit refuses an unknown number");
        yield return new TestCaseData(C001Additional, SettingUnit.AdminUser, "0612345678", RefusalReason.TargetNotAllowedForUnit).SetName("User unit from an additional number refuses the main number");
        yield return new TestCaseData(C001Main, SettingUnit.AdminUser, "0698765432", RefusalReason.TargetNotInContract).SetName("Admin unit refuses another contract's number");
        yield return new TestCaseData(new CallerLine("0698765432", "C001", "0612345678"), SettingUnit.Number, "0612345679", RefusalReason.CallerNotInContract)
            .SetName("A caller line claiming a contract its number is not in is refused");
        yield return new TestCaseData(new CallerLine("0612345670", "C001", "0612345678"), SettingUnit.AdminUser, "0612345670", RefusalReason.CallerNotSubscribed)
            .SetName("An unsubscribed caller line is refused");
        yield return new TestCaseData(new CallerLine("0311112222", "C003", "0311112222"), SettingUnit.Line, "0311112222", RefusalReason.ContractNotActive)
            .SetName("A caller line of an inactive contract is refused");
        yield return new TestCaseData(new CallerLine("0612345678", "C999", "0612345678"), SettingUnit.Line, "0612345678", RefusalReason.ContractNotActive)
            .SetName("A caller line of an unknown contract is refused");
    }

    [TestCaseSource(nameof(RefusedCommits))]
    public async Task A_commit_the_identity_rule_refuses_writes_nothing(CallerLine caller, SettingUnit unit, string target, RefusalReason reason)
    {
        var result = await _store.Credentials.SetTemporaryPasswordAsync(TestRequests.TemporaryPassword(caller, unit, target), CancellationToken.None);

        Assert.That(result, Is.EqualTo(CommitResult.Refused(reason)));
        Assert.That(await CredentialCountAsync(), Is.Zero);
    }

    [TestCase(SettingUnit.Line)]
    [TestCase(SettingUnit.Number)]
    [TestCase(SettingUnit.AdminUser)]
    public async Task A_caller_of_one_contract_never_changes_another_contracts_credential(SettingUnit unit)
    {
        await _store.Credentials.SetTemporaryPasswordAsync(TestRequests.TemporaryPassword(C002Main, SettingUnit.Line, "0698765432"), CancellationToken.None);
        var before = await _store.Login.ShowAsync("0698765432", CancellationToken.None);

        foreach (var caller in new[] { C001Main, C001Additional })
        {
            var result = await _store.Credentials.SetTemporaryPasswordAsync(
                TestRequests.TemporaryPassword(caller, unit, "0698765432", "99999999"), CancellationToken.None);
            Assert.That(result, Is.EqualTo(CommitResult.Refused(RefusalReason.TargetNotInContract)));
        }

        Assert.That(await _store.Login.ShowAsync("0698765432", CancellationToken.None), Is.EqualTo(before));
    }

    [Test]
    public async Task A_number_moved_to_another_contract_between_keying_and_commit_is_refused()
    {
        // The call checks the keyed number while it is C001's ...
        Assert.That(await _store.Directory.IsSubscribedNumberOfContractAsync("C001", "0612345679", CancellationToken.None), Is.True);
        // ... then the directory moves it to C002 before the caller confirms the password.
        await _store.Directory.ImportAsync(
            [new DirectoryRow("C002", "0612345679", NumberKind.Additional, true, true), new DirectoryRow("C002", "0698765432", NumberKind.Main, true, true)],
            CancellationToken.None);

        var result = await _store.Credentials.SetTemporaryPasswordAsync(
            TestRequests.TemporaryPassword(C001Main, SettingUnit.Number, "0612345679"), CancellationToken.None);

        Assert.That(result, Is.EqualTo(CommitResult.Refused(RefusalReason.TargetNotInContract)));
        Assert.That(await CredentialCountAsync(), Is.Zero);
    }

    [Test]
    public async Task A_caller_line_moved_to_another_contract_during_the_call_is_refused()
    {
        await _store.Directory.ImportAsync(
            [new DirectoryRow("C002", "0612345679", NumberKind.Additional, true, true), new DirectoryRow("C002", "0698765432", NumberKind.Main, true, true)],
            CancellationToken.None);

        var result = await _store.Credentials.SetTemporaryPasswordAsync(
            TestRequests.TemporaryPassword(C001Additional, SettingUnit.Line, "0612345678"), CancellationToken.None);

        Assert.That(result, Is.EqualTo(CommitResult.Refused(RefusalReason.CallerNotInContract)));
        Assert.That(await CredentialCountAsync(), Is.Zero);
    }

    [Test]
    public async Task A_target_unsubscribed_during_the_call_is_refused()
    {
        await ChangeContractC001Async(row => row.PhoneNumber == "0612345679" ? row with { Subscribed = false } : row);

        var result = await _store.Credentials.SetTemporaryPasswordAsync(
            TestRequests.TemporaryPassword(C001Main, SettingUnit.Number, "0612345679"), CancellationToken.None);

        Assert.That(result, Is.EqualTo(CommitResult.Refused(RefusalReason.TargetNotSubscribed)));
        Assert.That(await CredentialCountAsync(), Is.Zero);
    }

    [Test]
    public async Task A_contract_deactivated_during_the_call_is_refused()
    {
        await ChangeContractC001Async(row => row with { Active = false });

        var result = await _store.Credentials.SetTemporaryPasswordAsync(
            TestRequests.TemporaryPassword(C001Main, SettingUnit.Line, "0612345678"), CancellationToken.None);

        Assert.That(result, Is.EqualTo(CommitResult.Refused(RefusalReason.ContractNotActive)));
        Assert.That(await CredentialCountAsync(), Is.Zero);
    }

    [Test]
    public async Task A_line_unit_commit_after_the_main_number_changed_is_refused()
    {
        await _store.Directory.ImportAsync([new DirectoryRow("C001", "0612345679", NumberKind.Main, true, true)], CancellationToken.None);

        var result = await _store.Credentials.SetTemporaryPasswordAsync(
            TestRequests.TemporaryPassword(C001Additional, SettingUnit.Line, "0612345678"), CancellationToken.None);

        Assert.That(result, Is.EqualTo(CommitResult.Refused(RefusalReason.TargetNotAllowedForUnit)));
    }

    [Test]
    public async Task A_new_temporary_password_replaces_the_password_and_clears_counters_and_lock()
    {
        await _store.Credentials.SetTemporaryPasswordAsync(TestRequests.TemporaryPassword(C001Main, SettingUnit.Line, "0612345678"), CancellationToken.None);
        await _store.Login.ChangePasswordAsync("0612345678", "12345678", "newpass12", null, CancellationToken.None);
        for (var i = 0; i < LoginRules.PasswordWrongAttemptLimit; i++)
        {
            await _store.Login.VerifyAsync("0612345678", "wrongpass1", null, CancellationToken.None);
        }
        var locked = (await _store.Login.ShowAsync("0612345678", CancellationToken.None))!;
        _store.Clock.Advance(TimeSpan.FromMinutes(5));

        await _store.Credentials.SetTemporaryPasswordAsync(
            TestRequests.TemporaryPassword(C001Additional, SettingUnit.Number, "0612345678", "87654321"), CancellationToken.None);

        var state = (await _store.Login.ShowAsync("0612345678", CancellationToken.None))!;
        Assert.That(locked.Locked, Is.True);
        Assert.That(state, Is.EqualTo(state with
        {
            Unit = SettingUnit.Number,
            TemporaryPasswordPresent = true,
            TemporaryPasswordValid = true,
            TemporaryPasswordSetAt = _store.Clock.GetUtcNow(),
            TemporaryPasswordExpiresAt = _store.Clock.GetUtcNow().AddHours(24),
            TemporaryPasswordInvalidatedAt = null,
            PasswordPresent = false,
            PasswordChangedAt = null,
            PasswordExpiresAt = null,
            FailedAttempts = 0,
            Locked = false,
            LockedAt = null,
            Version = locked.Version + 1,
        }));
        Assert.That(await _store.Login.VerifyAsync("0612345678", "newpass12", null, CancellationToken.None), Is.EqualTo(LoginResult.Wrong));
        Assert.That(await _store.Login.VerifyAsync("0612345678", "87654321", null, CancellationToken.None), Is.EqualTo(LoginResult.TemporaryOk));
    }

    [Test]
    public async Task Concurrent_commits_for_one_login_leave_exactly_one_consistent_credential()
    {
        const int Commits = 8;
        var requests = Enumerable.Range(0, Commits)
            .Select(i => TestRequests.TemporaryPassword(i % 2 == 0 ? C001Main : C001Additional, SettingUnit.Line, "0612345678", $"{i + 1}{i + 1}{i + 1}{i + 1}0000"))
            .ToList();

        var results = await Task.WhenAll(requests.Select(request => _store.Credentials.SetTemporaryPasswordAsync(request, CancellationToken.None)));

        Assert.That(results, Is.All.EqualTo(CommitResult.Committed));
        var state = (await _store.Login.ShowAsync("0612345678", CancellationToken.None))!;
        Assert.That(await CredentialCountAsync(), Is.EqualTo(1));
        Assert.That(state.Version, Is.EqualTo(Commits));
        // The hash and the call recorded with it come from the same commit: the last one.
        var hash = await StoredTemporaryPasswordHashAsync("0612345678");
        var matching = requests.Where(request => request.Hash.Value == hash).ToList();
        Assert.That(matching, Has.Count.EqualTo(1));
        Assert.That(state.TemporaryPasswordSetByCall, Is.EqualTo(matching[0].CallId));
    }

    [Test]
    public async Task The_stored_credential_never_holds_the_keyed_digits()
    {
        await _store.Credentials.SetTemporaryPasswordAsync(
            TestRequests.TemporaryPassword(C001Main, SettingUnit.Line, "0612345678", "24681357"), CancellationToken.None);

        await using var connection = await _store.Database.DataSource.OpenConnectionAsync();
        var everything = await connection.QuerySingleAsync<string>("SELECT json_agg(c)::text FROM credentials AS c");
        var shown = JsonSerializer.Serialize(await _store.Login.ShowAsync("0612345678", CancellationToken.None));

        Assert.That(everything, Does.Contain("$ivr-pbkdf2-sha256$").And.Not.Contain("24681357"));
        Assert.That(shown, Does.Not.Contain("24681357").And.Not.Contain("$ivr-pbkdf2"));
    }

    [Test]
    public async Task An_unreachable_database_fails_the_commit_as_unavailable_not_as_a_cancellation()
    {
        var closedPort = new NpgsqlConnectionStringBuilder(_store.Database.ConnectionString) { Port = 1, Timeout = 2 }.ConnectionString;
        await using var unreachable = TestServices.Store(TestServices.Configuration(closedPort));

        var failure = Assert.CatchAsync(() => unreachable.GetRequiredService<CredentialStore>().SetTemporaryPasswordAsync(
            TestRequests.TemporaryPassword(C001Main, SettingUnit.Line, "0612345678"), CancellationToken.None));

        Assert.That(failure, Is.InstanceOf<CallFailureException>().With.Property(nameof(CallFailureException.Cause)).EqualTo(SystemErrorCause.DatabaseUnavailable));
    }

    [Test]
    public async Task A_hang_up_cancels_the_commit_and_writes_nothing()
    {
        using var hungUp = new CancellationTokenSource();
        await hungUp.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(() => _store.Credentials.SetTemporaryPasswordAsync(
            TestRequests.TemporaryPassword(C001Main, SettingUnit.Line, "0612345678"), hungUp.Token));
        Assert.That(await CredentialCountAsync(), Is.Zero);
    }

    [Test]
    public async Task Show_of_a_login_without_a_credential_is_null()
    {
        Assert.That(await _store.Login.ShowAsync("0612345679", CancellationToken.None), Is.Null);
    }

    private Task ChangeContractC001Async(Func<DirectoryRow, DirectoryRow> change) =>
        _store.Directory.ImportAsync(DirectoryFixture.Read().Where(row => row.ContractId == "C001").Select(change).ToList(), CancellationToken.None);

    private async Task<long> CredentialCountAsync()
    {
        await using var connection = await _store.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM credentials");
    }

    private async Task<string> StoredTemporaryPasswordHashAsync(string login)
    {
        await using var connection = await _store.Database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<string>("SELECT temporary_password_hash FROM credentials WHERE login_id = @login", new { login });
    }
}
