using Ivr.Domain;
using Ivr.Testing;

namespace Ivr.Store.Tests.Units;

/// <summary>The authentication-unit change of issue 7 on the real store: who is merged, who is proved, which login follows.</summary>
public sealed class AuthenticationUnitsTests
{
    private const string Main = "0612345678";
    private const string Additional = "0612345679";
    private const string OtherContract = "0698765432";
    private const string Temporary = "24681357";
    private static readonly CallerLine C001Main = new(Main, "C001", Main);
    private static readonly CallerLine C002Main = new(OtherContract, "C002", OtherContract);

    private TestStore _store = null!;
    private AuthenticationUnits _units = null!;

    [SetUp]
    public async Task CreateStore()
    {
        _store = await TestStore.CreateAsync();
        await _store.LoadDirectoryAsync();
        _units = new AuthenticationUnits(_store.Database.DataSource, _store.Hasher, _store.Clock);
    }

    [TearDown]
    public async Task DropStore() => await _store.DisposeAsync();

    [Test]
    public async Task Moving_to_the_line_unit_merges_the_contract_under_the_main_number_with_the_password_used_at_this_login()
    {
        await ChooseAsync(C001Main, Main, SettingUnit.Number, "mainpass1");
        await ChooseAsync(C001Main, Additional, SettingUnit.Number, "addpass22");

        var change = await ChangeAsync(Additional, "addpass22", SettingUnit.Line, (Main, "mainpass1"));

        Assert.That(change, Is.EqualTo(new UnitChange(UnitChangeResult.Changed, Main)));
        Assert.That(await _store.Login.ShowAsync(Additional, CancellationToken.None), Is.Null);
        Assert.That((await _store.Login.ShowAsync(Main, CancellationToken.None))!.Unit, Is.EqualTo(SettingUnit.Line));
        Assert.That(await VerifyAsync(Main, "addpass22"), Is.EqualTo(LoginResult.Ok));
        Assert.That(await VerifyAsync(Main, "mainpass1"), Is.EqualTo(LoginResult.Wrong));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("guessed99")]
    public async Task A_merged_number_not_proved_by_its_password_refuses_the_move_and_changes_nothing(string? given)
    {
        await ChooseAsync(C001Main, Main, SettingUnit.Number, "mainpass1");
        await ChooseAsync(C001Main, Additional, SettingUnit.Number, "addpass22");

        var change = given is null ? await ChangeAsync(Additional, "addpass22", SettingUnit.Line) : await ChangeAsync(Additional, "addpass22", SettingUnit.Line, (Main, given));

        Assert.That(change, Is.EqualTo(new UnitChange(UnitChangeResult.MergedPasswordWrong, RefusedNumber: Main)));
        Assert.That((await _store.Login.ShowAsync(Main, CancellationToken.None))!.Unit, Is.EqualTo(SettingUnit.Number));
        Assert.That((await _store.Login.ShowAsync(Additional, CancellationToken.None))!.Unit, Is.EqualTo(SettingUnit.Number));
    }

    [Test]
    public async Task A_wrong_guess_at_a_merged_number_counts_as_a_wrong_login_of_that_number()
    {
        await ChooseAsync(C001Main, Main, SettingUnit.Number, "mainpass1");
        await ChooseAsync(C001Main, Additional, SettingUnit.Number, "addpass22");

        await ChangeAsync(Additional, "addpass22", SettingUnit.Line, (Main, "guessed99"));

        Assert.That((await _store.Login.ShowAsync(Main, CancellationToken.None))!.FailedAttempts, Is.EqualTo(1));
        var audit = await _store.LoginAudit.TailAsync(10, Main, CancellationToken.None);
        Assert.That(audit.Select(row => (row.ClientAddress, row.Action, row.Result)), Does.Contain(("192.0.2.1", "login", "wrong")));
    }

    [Test]
    public async Task A_locked_number_cannot_be_merged_even_with_its_password()
    {
        await ChooseAsync(C001Main, Main, SettingUnit.Number, "mainpass1");
        await ChooseAsync(C001Main, Additional, SettingUnit.Number, "addpass22");
        for (var i = 0; i < LoginRules.PasswordWrongAttemptLimit; i++)
        {
            await VerifyAsync(Main, "wrongpass1");
        }

        var change = await ChangeAsync(Additional, "addpass22", SettingUnit.Line, (Main, "mainpass1"));

        Assert.That(change.Result, Is.EqualTo(UnitChangeResult.MergedPasswordWrong));
    }

    [Test]
    public async Task A_merged_number_may_be_proved_by_its_valid_temporary_password()
    {
        await SetTemporaryPasswordAsync(C001Main, Main, SettingUnit.Number);
        await ChooseAsync(C001Main, Additional, SettingUnit.Number, "addpass22");

        var change = await ChangeAsync(Additional, "addpass22", SettingUnit.Line, (Main, Temporary));

        Assert.That(change, Is.EqualTo(new UnitChange(UnitChangeResult.Changed, Main)));
    }

    [Test]
    public async Task Only_the_numbers_of_the_logins_own_contract_are_merged()
    {
        await ChooseAsync(C001Main, Main, SettingUnit.Number, "mainpass1");
        await ChooseAsync(C001Main, Additional, SettingUnit.Number, "addpass22");
        await ChooseAsync(C002Main, OtherContract, SettingUnit.Number, "otherpass3");

        Assert.That(await _units.NumbersToMergeAsync(Additional, CancellationToken.None), Is.EqualTo(new[] { Main }));
        await ChangeAsync(Additional, "addpass22", SettingUnit.Line, (Main, "mainpass1"));

        Assert.That(await VerifyAsync(OtherContract, "otherpass3"), Is.EqualTo(LoginResult.Ok));
        Assert.That((await _store.Login.ShowAsync(OtherContract, CancellationToken.None))!.Unit, Is.EqualTo(SettingUnit.Number));
    }

    [Test]
    public async Task Between_number_and_admin_user_every_credential_of_the_contract_changes_its_unit_and_keeps_its_login()
    {
        await ChooseAsync(C001Main, Main, SettingUnit.Number, "mainpass1");
        await ChooseAsync(C001Main, Additional, SettingUnit.Number, "addpass22");

        var change = await ChangeAsync(Main, "mainpass1", SettingUnit.AdminUser);

        Assert.That(change, Is.EqualTo(new UnitChange(UnitChangeResult.Changed, Main)));
        Assert.That((await _store.Login.ShowAsync(Main, CancellationToken.None))!.Unit, Is.EqualTo(SettingUnit.AdminUser));
        Assert.That((await _store.Login.ShowAsync(Additional, CancellationToken.None))!.Unit, Is.EqualTo(SettingUnit.AdminUser));
        Assert.That(await VerifyAsync(Additional, "addpass22"), Is.EqualTo(LoginResult.Ok));
    }

    [TestCase(SettingUnit.Number)]
    [TestCase(SettingUnit.AdminUser)]
    public async Task Leaving_the_line_unit_keeps_the_main_number_as_the_login_and_its_password(SettingUnit unit)
    {
        await ChooseAsync(C001Main, Main, SettingUnit.Line, "mainpass1");

        var change = await ChangeAsync(Main, "mainpass1", unit);

        Assert.That(change, Is.EqualTo(new UnitChange(UnitChangeResult.Changed, Main)));
        Assert.That((await _store.Login.ShowAsync(Main, CancellationToken.None))!.Unit, Is.EqualTo(unit));
        Assert.That(await VerifyAsync(Main, "mainpass1"), Is.EqualTo(LoginResult.Ok));
    }

    [Test]
    public async Task A_wrong_password_changes_nothing_and_counts_as_a_wrong_attempt()
    {
        await ChooseAsync(C001Main, Main, SettingUnit.Line, "mainpass1");

        var change = await ChangeAsync(Main, "nottheone1", SettingUnit.Number);

        Assert.That(change.Result, Is.EqualTo(UnitChangeResult.Wrong));
        var state = await _store.Login.ShowAsync(Main, CancellationToken.None);
        Assert.That((state!.Unit, state.FailedAttempts), Is.EqualTo((SettingUnit.Line, 1)));
    }

    [Test]
    public async Task The_tenth_consecutive_wrong_password_here_locks_it_as_a_login_would()
    {
        await ChooseAsync(C001Main, Main, SettingUnit.Line, "mainpass1");
        for (var i = 1; i < LoginRules.PasswordWrongAttemptLimit; i++)
        {
            await VerifyAsync(Main, "wrongpass1");
        }

        Assert.That((await ChangeAsync(Main, "nottheone1", SettingUnit.Number)).Result, Is.EqualTo(UnitChangeResult.Locked));
        Assert.That((await ChangeAsync(Main, "mainpass1", SettingUnit.Number)).Result, Is.EqualTo(UnitChangeResult.Locked));
    }

    [Test]
    public async Task A_temporary_password_cannot_change_the_unit()
    {
        await SetTemporaryPasswordAsync(C001Main, Main, SettingUnit.Line);

        Assert.That((await ChangeAsync(Main, Temporary, SettingUnit.Number)).Result, Is.EqualTo(UnitChangeResult.PasswordRequired));
        Assert.That((await _store.Login.ShowAsync(Main, CancellationToken.None))!.Unit, Is.EqualTo(SettingUnit.Line));
    }

    [Test]
    public async Task A_login_without_a_credential_is_unknown()
    {
        Assert.That((await ChangeAsync(Main, "mainpass1", SettingUnit.Number)).Result, Is.EqualTo(UnitChangeResult.Unknown));
    }

    private Task<UnitChange> ChangeAsync(string login, string password, SettingUnit unit, params (string Number, string Password)[] merged) =>
        _units.ChangeAsync(login, password, unit, merged.ToDictionary(m => m.Number, m => m.Password), "192.0.2.1", CancellationToken.None);

    private Task<LoginResult> VerifyAsync(string login, string password) => _store.Login.VerifyAsync(login, password, null, CancellationToken.None);

    private async Task SetTemporaryPasswordAsync(CallerLine caller, string target, SettingUnit unit)
    {
        var result = await _store.Credentials.SetTemporaryPasswordAsync(TestRequests.TemporaryPassword(caller, unit, target, Temporary), CancellationToken.None);
        Assert.That(result, Is.EqualTo(CommitResult.Committed));
    }

    /// <summary>A credential with a password of the subscriber's own, as after the website's forced change.</summary>
    private async Task ChooseAsync(CallerLine caller, string target, SettingUnit unit, string password)
    {
        await SetTemporaryPasswordAsync(caller, target, unit);
        var changed = await _store.Login.ChangePasswordAsync(target, Temporary, password, null, CancellationToken.None);
        Assert.That(changed, Is.EqualTo(PasswordChangeResult.Changed));
    }
}
