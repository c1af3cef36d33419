using Ivr.CallFlow;
using Ivr.Domain;
using Moq;

namespace Ivr.CallFlow.Tests;

public class TemporaryPasswordCallTests
{
    private const string Password = "24681357";
    private const string Main = CallHarness.MainNumber;
    private const string Additional = CallHarness.AdditionalNumber;

    private static readonly string SelectUnit = PromptId.SelectUnit.Value;
    private static readonly string EnterNumber = PromptId.EnterNumber.Value;
    private static readonly string SettingFor = PromptId.SettingFor.Value;
    private static readonly string EnterPassword = PromptId.EnterPassword.Value;
    private static readonly string EnterPasswordRegister = PromptId.EnterPasswordRegister.Value;
    private static readonly string InvalidRetry = PromptId.InvalidRetry.Value;
    private static readonly string ConfirmPassword = PromptId.ConfirmPassword.Value;
    private static readonly string Completed = PromptId.Completed.Value;
    private static readonly string TooManyErrors = PromptId.TooManyErrors.Value;

    [Test]
    public async Task Line_unit_from_the_main_number_sets_the_main_numbers_temporary_password()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, Password);

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.Completed));
        Assert.That(call.Heard, Is.EqualTo(new[]
        {
            SelectUnit, "digits:" + Main, SettingFor, EnterPassword, ConfirmPassword, "digits:" + Main, Completed, "hangup",
        }));
        var request = call.Committed.Single();
        Assert.That((request.Unit, request.TargetNumber, request.Caller.ContractId), Is.EqualTo((SettingUnit.Line, Main, "C001")));
        Assert.That(call.CommittedDigits, Is.EqualTo(Password));
        Assert.That(call.AuditRow, Is.EqualTo(new CallRecord("call-1", call.Time.GetUtcNow(), call.Time.GetUtcNow(), Main, SettingUnit.Line, Main, CallOutcome.Completed, "committing") with { Trace = call.AuditRow.Trace }));
    }

    [Test]
    public async Task Line_unit_from_an_additional_number_sets_the_contracts_main_number()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, Password);

        await call.RunAsync(Additional);

        Assert.That(call.Committed.Single().TargetNumber, Is.EqualTo(Main));
        Assert.That(call.Heard, Does.Contain("digits:" + Main).And.Not.Contain("digits:" + Additional));
    }

    [Test]
    public async Task Number_unit_asks_for_a_number_of_the_callers_own_contract()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "2")
            .Answer(PromptId.EnterNumber, Additional)
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, Password);

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.Completed));
        Assert.That(call.Heard.Take(5), Is.EqualTo(new[] { SelectUnit, EnterNumber, "digits:" + Additional, SettingFor, EnterPassword }));
        Assert.That((call.Committed.Single().Unit, call.Committed.Single().TargetNumber), Is.EqualTo((SettingUnit.Number, Additional)));
        call.Directory.Verify(d => d.IsSubscribedNumberOfContractAsync("C001", Additional, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task Another_contracts_number_three_times_is_too_many_errors_and_writes_nothing()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "2")
            .Answer(PromptId.EnterNumber, CallHarness.OtherContractNumber)
            .Answer(PromptId.EnterNumber, "0698765433")
            .Answer(PromptId.EnterNumber, CallHarness.OtherContractNumber);

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.TooManyErrors));
        Assert.That(call.Heard, Is.EqualTo(new[]
        {
            SelectUnit, EnterNumber, InvalidRetry, EnterNumber, InvalidRetry, EnterNumber, TooManyErrors, "hangup",
        }));
        call.Credentials.VerifyNoOtherCalls();
        Assert.That(call.AuditRow.Outcome, Is.EqualTo(CallOutcome.TooManyErrors));
        Assert.That(call.AuditRow.StepReached, Is.EqualTo("entering-number"));
    }

    [TestCase("0612345679", true, TestName = "A number that timed out without # is a bad input")]
    [TestCase("", false, TestName = "A lone # is a bad input")]
    [TestCase("06123*5679", false, TestName = "A number with * is a bad input")]
    public async Task A_malformed_number_is_a_bad_input_without_asking_the_directory(string keys, bool timedOut)
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "2")
            .Answer(PromptId.EnterNumber, keys, timedOut)
            .HangUpAt(PromptId.EnterNumber);

        await call.RunAsync(Main);

        Assert.That(call.Heard, Is.EqualTo(new[] { SelectUnit, EnterNumber, InvalidRetry, EnterNumber }));
        call.Directory.Verify(d => d.IsSubscribedNumberOfContractAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Admin_user_unit_from_the_main_number_may_set_the_main_number_itself()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "3")
            .Answer(PromptId.EnterNumber, Main)
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, Password);

        await call.RunAsync(Main);

        Assert.That((call.Committed.Single().Unit, call.Committed.Single().TargetNumber), Is.EqualTo((SettingUnit.AdminUser, Main)));
    }

    [Test]
    public async Task Admin_user_unit_from_an_additional_number_hears_the_register_wording_at_every_password_prompt()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "3")
            .Answer(PromptId.EnterPasswordRegister, "1234")
            .Answer(PromptId.EnterPasswordRegister, Password)
            .Answer(PromptId.ConfirmPassword, "0000")
            .Answer(PromptId.EnterPasswordRegister, Password)
            .Answer(PromptId.ConfirmPassword, Password);

        var outcome = await call.RunAsync(Additional);

        Assert.That(outcome, Is.EqualTo(CallOutcome.Completed));
        Assert.That(call.Heard, Is.EqualTo(new[]
        {
            SelectUnit, "digits:" + Additional, SettingFor, EnterPasswordRegister, InvalidRetry, EnterPasswordRegister,
            ConfirmPassword, InvalidRetry, EnterPasswordRegister, ConfirmPassword, "digits:" + Additional, Completed, "hangup",
        }));
    }

    [Test]
    public async Task Admin_user_unit_from_an_additional_number_commits_the_callers_own_number()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "3")
            .Answer(PromptId.EnterPasswordRegister, Password)
            .Answer(PromptId.ConfirmPassword, Password);

        await call.RunAsync(Additional);

        Assert.That((call.Committed.Single().Unit, call.Committed.Single().TargetNumber), Is.EqualTo((SettingUnit.AdminUser, Additional)));
        Assert.That(call.Heard, Does.Not.Contain(EnterNumber));
    }

    [Test]
    public async Task One_flow_carries_a_lines_calls_one_after_another_and_nothing_of_a_call_reaches_the_next()
    {
        // The first call gets far (a bad input, the number unit, another number, a password) and hangs up at the
        // confirmation; the second, on the same flow, is a fresh caller's.
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "9")
            .Answer(PromptId.SelectUnit, "2")
            .Answer(PromptId.EnterNumber, Additional)
            .Answer(PromptId.EnterPassword, Password)
            .HangUpAt(PromptId.ConfirmPassword)
            .Answer(PromptId.SelectUnit, "0")
            .Answer(PromptId.SelectUnit, "", timedOut: true)
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, "11112222")
            .Answer(PromptId.ConfirmPassword, "11112222");

        Assert.That(await call.RunAsync(Main), Is.EqualTo(CallOutcome.CallerHungUp));
        var heardBefore = call.Heard.Count;
        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.Completed), "two bad inputs are two, not three with the call before");
        Assert.That(call.Heard[heardBefore..], Is.EqualTo(new[]
        {
            SelectUnit, InvalidRetry, SelectUnit, InvalidRetry, SelectUnit, "digits:" + Main, SettingFor, EnterPassword, ConfirmPassword,
            "digits:" + Main, Completed, "hangup",
        }));
        Assert.That((call.Committed.Single().Unit, call.Committed.Single().TargetNumber, call.CommittedDigits), Is.EqualTo((SettingUnit.Line, Main, "11112222")));
        var (first, second) = (call.Audited[0], call.Audited[1]);
        Assert.That((first.CallId, first.Unit, first.TargetNumber, first.StepReached), Is.EqualTo(("call-1", SettingUnit.Number, Additional, "confirming-password")));
        Assert.That((second.CallId, second.Unit, second.TargetNumber, second.StepReached), Is.EqualTo(("call-2", SettingUnit.Line, Main, "committing")));
        Assert.That(second.Trace!.Events.Select(e => (e.Kind, e.Keys)).Take(3), Is.EqualTo(new[]
        {
            (CallTraceEventKind.MenuDigit, "0"), (CallTraceEventKind.Played, null), (CallTraceEventKind.MenuDigit, ""),
        }), "the second call's trace starts with its own first input");
        Assert.That(second.Trace.Events.Where(e => e.Kind == CallTraceEventKind.Number), Is.Empty);
        Assert.That(first.Trace!.Events.Count(e => e.Kind == CallTraceEventKind.Number), Is.EqualTo(1), "the first call's trace is its own, kept as it was");
    }

    [Test]
    public async Task A_flow_refuses_a_second_call_while_one_is_running_and_the_first_goes_on()
    {
        var call = new CallHarness();
        var keyed = new TaskCompletionSource<CallerInput>();
        call.Caller.Setup(c => c.AskAsync(PromptId.SelectUnit, It.IsAny<TimeSpan>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Returns(() => new ValueTask<CallerInput>(keyed.Task));

        var first = call.RunAsync(Main);
        Assert.ThrowsAsync<InvalidOperationException>(() => call.RunAsync(Main));
        keyed.SetResult(new CallerInput("9", TimedOut: false));

        Assert.That(await first, Is.EqualTo(CallOutcome.TooManyErrors), "the refused call changed nothing of the one running");
        Assert.That(call.Audited.Select(row => row.CallId), Is.EqualTo(new[] { "call-1" }));
    }

    [Test]
    public async Task A_confirmation_mismatch_returns_to_the_password_without_readback()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, "13572468")
            .Answer(PromptId.EnterPassword, "11112222")
            .Answer(PromptId.ConfirmPassword, "11112222");

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.Completed));
        Assert.That(call.Heard, Is.EqualTo(new[]
        {
            SelectUnit, "digits:" + Main, SettingFor, EnterPassword, ConfirmPassword,
            InvalidRetry, EnterPassword, ConfirmPassword, "digits:" + Main, Completed, "hangup",
        }));
        Assert.That(call.CommittedDigits, Is.EqualTo("11112222"), "the second pair of entries is the one set");
    }

    [TestCase("1234567", TestName = "Seven digits are a bad input")]
    [TestCase("1234*678", TestName = "A star among eight keys is a bad input")]
    [TestCase("", TestName = "No input before the timeout is a bad input at the password")]
    public async Task A_password_that_is_not_eight_digits_is_a_bad_input(string keys)
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, keys, timedOut: keys.Length < 8)
            .HangUpAt(PromptId.EnterPassword);

        await call.RunAsync(Main);

        Assert.That(call.Heard[^2..], Is.EqualTo(new[] { InvalidRetry, EnterPassword }));
        call.Credentials.VerifyNoOtherCalls();
    }

    [TestCase("9")]
    [TestCase("0")]
    [TestCase("*")]
    [TestCase("")]
    public async Task Only_1_2_and_3_select_a_unit(string keys)
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, keys, timedOut: keys.Length == 0)
            .HangUpAt(PromptId.SelectUnit);

        await call.RunAsync(Main);

        Assert.That(call.Heard, Is.EqualTo(new[] { SelectUnit, InvalidRetry, SelectUnit }));
    }

    [Test]
    public async Task The_third_bad_input_of_the_call_counts_across_steps_and_plays_no_invalid_retry()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "4")
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, "123")
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, "", timedOut: true);

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.TooManyErrors));
        Assert.That(call.Heard[^3..], Is.EqualTo(new[] { ConfirmPassword, TooManyErrors, "hangup" }));
        Assert.That(call.AuditRow.StepReached, Is.EqualTo("confirming-password"));
        call.Credentials.Verify(s => s.SetTemporaryPasswordAsync(It.IsAny<TemporaryPasswordRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Every_input_uses_the_configured_timeout_and_digit_limits()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "2")
            .Answer(PromptId.EnterNumber, Additional)
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, Password);
        call.Options.InputTimeout = TimeSpan.FromSeconds(7);

        await call.RunAsync(Main);

        Assert.That(call.Asked.Select(a => (a.Timeout, a.MaxDigits)), Is.EqualTo(new[]
        {
            (TimeSpan.FromSeconds(7), 1), (TimeSpan.FromSeconds(7), CallFlowOptions.NumberDigits), (TimeSpan.FromSeconds(7), 8), (TimeSpan.FromSeconds(7), 8),
        }));
    }

    [TestCase("anonymous", 35)]
    [TestCase("0612345678", 33)]
    [TestCase("0612345678", 67)]
    [TestCase("unknown", 0)]
    [TestCase("", 0)]
    [TestCase(null, null)]
    public async Task A_withheld_or_missing_number_hears_caller_id_required(string? callerId, int? presentation)
    {
        var call = new CallHarness();

        var outcome = await call.RunAsync(callerId, presentation);

        Assert.That(outcome, Is.EqualTo(CallOutcome.CallerIdRequired));
        Assert.That(call.Heard, Is.EqualTo(new[] { PromptId.CallerIdRequired.Value, "hangup" }));
        call.Directory.VerifyNoOtherCalls();
        call.Credentials.VerifyNoOtherCalls();
        Assert.That((call.AuditRow.CallerNumber, call.AuditRow.StepReached), Is.EqualTo(((string?)null, "checking-caller")));
    }

    [Test]
    public async Task A_number_that_is_not_subscribed_to_an_active_contract_hears_not_contracted()
    {
        var call = new CallHarness();
        call.Directory.Setup(d => d.FindCallerLineAsync("0399999999", It.IsAny<CancellationToken>())).ReturnsAsync((CallerLine?)null);

        var outcome = await call.RunAsync("+81399999999");

        Assert.That(outcome, Is.EqualTo(CallOutcome.NotContracted));
        Assert.That(call.Heard, Is.EqualTo(new[] { PromptId.NotContracted.Value, "hangup" }));
        Assert.That(call.AuditRow.CallerNumber, Is.EqualTo("0399999999"), "+81 is national 0");
        call.Credentials.VerifyNoOtherCalls();
    }

    public static IEnumerable<TestCaseData> HangUpInEveryState()
    {
        yield return new TestCaseData((Action<CallHarness>)(c => c.Directory.Setup(d => d.FindCallerLineAsync(Main, It.IsAny<CancellationToken>())).Returns(c.HangUpNow<CallerLine?>)), "checking-caller")
            .SetName("Hang-up while the caller is checked");
        yield return new TestCaseData((Action<CallHarness>)(c => c.HangUpAt(PromptId.SelectUnit)), "selecting-unit")
            .SetName("Hang-up at select-unit");
        yield return new TestCaseData((Action<CallHarness>)(c => c.Answer(PromptId.SelectUnit, "2").HangUpAt(PromptId.EnterNumber)), "entering-number")
            .SetName("Hang-up at enter-number");
        yield return new TestCaseData((Action<CallHarness>)(c =>
            {
                c.Answer(PromptId.SelectUnit, "1");
                c.Caller.Setup(x => x.SayDigitsAsync(Main, It.IsAny<CancellationToken>())).Returns(c.HangUpNow);
            }), "entering-password")
            .SetName("Hang-up during the readback");
        yield return new TestCaseData((Action<CallHarness>)(c => c.Answer(PromptId.SelectUnit, "1").HangUpAt(PromptId.EnterPassword)), "entering-password")
            .SetName("Hang-up at enter-password");
        yield return new TestCaseData((Action<CallHarness>)(c => c.Answer(PromptId.SelectUnit, "1").Answer(PromptId.EnterPassword, Password).HangUpAt(PromptId.ConfirmPassword)), "confirming-password")
            .SetName("Hang-up at confirm-password");
        yield return new TestCaseData((Action<CallHarness>)(c =>
            {
                c.Answer(PromptId.SelectUnit, "1").Answer(PromptId.EnterPassword, Password).Answer(PromptId.ConfirmPassword, Password);
                c.Credentials.Setup(s => s.SetTemporaryPasswordAsync(It.IsAny<TemporaryPasswordRequest>(), It.IsAny<CancellationToken>())).Returns(c.HangUpNow<CommitResult>);
            }), "committing")
            .SetName("Hang-up during the commit");
        yield return new TestCaseData((Action<CallHarness>)(c =>
            {
                c.Answer(PromptId.SelectUnit, "9");
                c.Caller.Setup(x => x.PlayAsync(PromptId.InvalidRetry, It.IsAny<CancellationToken>())).Returns(c.HangUpNow);
            }), "selecting-unit")
            .SetName("Hang-up during invalid-retry");
    }

    [TestCaseSource(nameof(HangUpInEveryState))]
    public async Task A_hang_up_stops_the_call_at_once_and_writes_only_the_audit_row(Action<CallHarness> script, string step)
    {
        var call = new CallHarness();
        script(call);

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.CallerHungUp));
        Assert.That(call.Heard, Does.Not.Contain("hangup").And.Not.Contain(PromptId.SystemError.Value), "nothing more is said to a caller who is gone");
        Assert.That(call.Committed, Is.Empty);
        Assert.That((call.AuditRow.Outcome, call.AuditRow.StepReached), Is.EqualTo((CallOutcome.CallerHungUp, step)));
    }

    [Test]
    public async Task A_hang_up_during_the_final_readback_keeps_the_completed_outcome()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, Password);
        call.Caller.Setup(c => c.PlayAsync(PromptId.Completed, It.IsAny<CancellationToken>())).Returns(call.HangUpNow);

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.Completed), "the temporary password was set");
        Assert.That(call.Committed, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_store_failure_at_the_commit_is_system_error()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, Password);
        call.Credentials.Setup(s => s.SetTemporaryPasswordAsync(It.IsAny<TemporaryPasswordRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("database down"));

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.SystemError));
        Assert.That(call.Heard[^2..], Is.EqualTo(new[] { PromptId.SystemError.Value, "hangup" }));
        Assert.That((call.AuditRow.Outcome, call.AuditRow.StepReached), Is.EqualTo((CallOutcome.SystemError, "committing")));
    }

    [Test]
    public async Task A_store_failure_at_the_caller_check_is_system_error()
    {
        var call = new CallHarness();
        call.Directory.Setup(d => d.FindCallerLineAsync(Main, It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException());

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.SystemError));
        Assert.That(call.Heard, Is.EqualTo(new[] { PromptId.SystemError.Value, "hangup" }));
    }

    [Test]
    public async Task A_commit_refused_by_the_identity_rule_is_not_contracted()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "2")
            .Answer(PromptId.EnterNumber, Additional)
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, Password);
        call.Credentials.Setup(s => s.SetTemporaryPasswordAsync(It.IsAny<TemporaryPasswordRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(CommitResult.Refused(RefusalReason.TargetNotInContract));

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.NotContracted));
        Assert.That(call.Heard[^2..], Is.EqualTo(new[] { PromptId.NotContracted.Value, "hangup" }));
        Assert.That(call.Heard, Does.Not.Contain(Completed));
    }

    [Test]
    public async Task A_prompt_that_fails_on_a_live_channel_is_system_error()
    {
        var call = new CallHarness();
        call.Caller.Setup(c => c.AskAsync(PromptId.SelectUnit, It.IsAny<TimeSpan>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("STREAM FILE temp-password/select-unit failed"));

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.SystemError));
        Assert.That(call.Heard, Is.EqualTo(new[] { PromptId.SystemError.Value, "hangup" }));
    }

    [Test]
    public async Task When_even_system_error_cannot_play_the_call_still_ends_and_is_audited()
    {
        var call = new CallHarness();
        call.Caller.Setup(c => c.AskAsync(It.IsAny<PromptId>(), It.IsAny<TimeSpan>(), It.IsAny<int>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("gone"));
        call.Caller.Setup(c => c.PlayAsync(PromptId.SystemError, It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("gone too"));

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.SystemError));
        Assert.That(call.Audited, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_failing_audit_write_does_not_change_the_outcome()
    {
        var call = new CallHarness();
        call.Audit.Setup(a => a.WriteAsync(It.IsAny<CallRecord>(), It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException());

        var outcome = await call.RunAsync("anonymous", 35);

        Assert.That(outcome, Is.EqualTo(CallOutcome.CallerIdRequired));
    }

    [Test]
    public async Task The_audit_row_never_holds_a_password_digit()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, Password);

        await call.RunAsync(Main);

        Assert.That(call.AuditRow.ToString(), Does.Not.Contain(Password));
        Assert.That(call.Committed.Single().ToString(), Does.Not.Contain(Password), "even the request prints its password masked");
    }

    [Test]
    public async Task The_hash_starts_before_the_confirmation_is_keyed()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, Password);

        await call.RunAsync(Main);

        var heardBeforeHash = call.Heard.Take(call.HashesStarted.Single()).ToList();
        Assert.That(heardBeforeHash[^1], Is.EqualTo(EnterPassword), "hashed as soon as the first entry was complete");
        Assert.That(heardBeforeHash, Does.Not.Contain(ConfirmPassword), "before the confirmation prompt was even asked");
        Assert.That(call.CommittedDigits, Is.EqualTo(Password));
    }

    [Test]
    public async Task A_mismatch_throws_the_hash_away_and_writes_nothing()
    {
        var tokens = new List<CancellationToken>();
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, "87654321")
            .Answer(PromptId.EnterPassword, "11112222")
            .Answer(PromptId.ConfirmPassword, "11112222");
        call.Credentials.Setup(s => s.HashAsync(It.IsAny<TemporaryPassword>(), It.IsAny<CancellationToken>()))
            .Returns((TemporaryPassword password, CancellationToken token) =>
            {
                tokens.Add(token);
                var hash = new TemporaryPasswordHash($"test-hash-{tokens.Count}");
                call.HashedDigits[hash] = password.Reveal();
                // The first entry's hash never finishes on its own: only its cancellation ends it.
                return tokens.Count == 1 ? Task.Delay(Timeout.Infinite, token).ContinueWith(_ => hash, TaskScheduler.Default) : Task.FromResult(hash);
            });

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.Completed));
        Assert.That(tokens, Has.Count.EqualTo(2));
        Assert.That(tokens[0].IsCancellationRequested && !tokens[1].IsCancellationRequested, "the mismatched entry's hash was cancelled, the second one's was not");
        Assert.That(call.CommittedDigits, Is.EqualTo("11112222"), "only the confirmed entry is committed");
    }

    [Test]
    public async Task No_hashing_slot_in_time_is_system_error_and_writes_nothing()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, Password);
        call.Credentials.Setup(s => s.HashAsync(It.IsAny<TemporaryPassword>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new CallFailureException(SystemErrorCause.HashingBusy, "no hashing slot"));

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.SystemError));
        Assert.That(call.Heard[^3..], Is.EqualTo(new[] { ConfirmPassword, PromptId.SystemError.Value, "hangup" }), "said at once after the last key, never silence");
        Assert.That((call.AuditRow.StepReached, call.AuditRow.Reason), Is.EqualTo(("committing", "hashing-busy")));
        call.Credentials.Verify(s => s.SetTemporaryPasswordAsync(It.IsAny<TemporaryPasswordRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task After_the_grace_period_no_commit_starts_and_the_caller_hears_system_error()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, Password);
        call.Caller.Setup(c => c.AskAsync(PromptId.ConfirmPassword, It.IsAny<TimeSpan>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                call.Heard.Add(ConfirmPassword);
                call.CallsMustEnd.Cancel(); // the grace period ends while the caller keys the confirmation
                return ValueTask.FromResult(new CallerInput(Password, false));
            });

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.SystemError));
        Assert.That(call.Heard[^3..], Is.EqualTo(new[] { ConfirmPassword, PromptId.SystemError.Value, "hangup" }));
        Assert.That(call.AuditRow.Reason, Is.EqualTo("server-stopping"));
        call.Credentials.Verify(s => s.SetTemporaryPasswordAsync(It.IsAny<TemporaryPasswordRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task A_commit_that_has_started_is_finished_and_announced_even_when_calls_must_end()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, Password);
        var commitToken = CancellationToken.None;
        call.Credentials.Setup(s => s.SetTemporaryPasswordAsync(It.IsAny<TemporaryPasswordRequest>(), It.IsAny<CancellationToken>()))
            .Callback((TemporaryPasswordRequest request, CancellationToken token) =>
            {
                call.Committed.Add(request);
                commitToken = token;
                call.CallsMustEnd.Cancel(); // the grace period ends during the commit
            })
            .ReturnsAsync(CommitResult.Committed);

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.Completed));
        Assert.That(commitToken.IsCancellationRequested, Is.False, "the commit is not cut short by the end of the grace period");
        Assert.That(call.Heard[^3..], Is.EqualTo(new[] { "digits:" + Main, Completed, "hangup" }), "the readback and completed are still played");
    }

    [Test]
    public async Task A_confirmed_call_whose_hash_is_still_running_when_the_grace_period_ends_is_committed_and_announced()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "1")
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, Password);
        var hashed = new TaskCompletionSource<TemporaryPasswordHash>();
        var hashToken = CancellationToken.None;
        call.Credentials.Setup(s => s.HashAsync(It.IsAny<TemporaryPassword>(), It.IsAny<CancellationToken>()))
            .Returns((TemporaryPassword password, CancellationToken token) =>
            {
                hashToken = token;
                call.HashedDigits[new TemporaryPasswordHash("slow-hash")] = password.Reveal();
                return hashed.Task.WaitAsync(token);
            });
        call.Credentials.Setup(s => s.SetTemporaryPasswordAsync(It.IsAny<TemporaryPasswordRequest>(), It.IsAny<CancellationToken>()))
            .Callback((TemporaryPasswordRequest request, CancellationToken _) => call.Committed.Add(request))
            .ReturnsAsync(CommitResult.Committed);

        var running = call.RunAsync(Main);
        await Task.Delay(50); // the caller has confirmed; the commit waits for the hash
        await call.CallsMustEnd.CancelAsync(); // the grace period ends
        hashed.SetResult(new TemporaryPasswordHash("slow-hash"));
        var outcome = await running;

        Assert.That(hashToken.IsCancellationRequested, Is.False, "the end of the grace period did not cancel the confirmed call's hash");
        Assert.That(outcome, Is.EqualTo(CallOutcome.Completed));
        Assert.That(call.Heard[^3..], Is.EqualTo(new[] { "digits:" + Main, Completed, "hangup" }));
    }

    [Test]
    public async Task A_refused_commit_audits_its_reason()
    {
        var call = new CallHarness()
            .Answer(PromptId.SelectUnit, "2")
            .Answer(PromptId.EnterNumber, Additional)
            .Answer(PromptId.EnterPassword, Password)
            .Answer(PromptId.ConfirmPassword, Password);
        call.Credentials.Setup(s => s.SetTemporaryPasswordAsync(It.IsAny<TemporaryPasswordRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(CommitResult.Refused(RefusalReason.TargetNotSubscribed));

        await call.RunAsync(Main);

        Assert.That((call.AuditRow.Outcome, call.AuditRow.Reason), Is.EqualTo((CallOutcome.NotContracted, "target-not-subscribed")));
    }

    [Test]
    public async Task A_database_past_its_deadline_is_system_error_with_the_cause_audited()
    {
        var call = new CallHarness();
        call.Directory.Setup(d => d.FindCallerLineAsync(Main, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new CallFailureException(SystemErrorCause.DatabaseTimeout, "caller-check: no answer"));

        var outcome = await call.RunAsync(Main);

        Assert.That(outcome, Is.EqualTo(CallOutcome.SystemError));
        Assert.That(call.Heard, Is.EqualTo(new[] { PromptId.SystemError.Value, "hangup" }));
        Assert.That((call.AuditRow.StepReached, call.AuditRow.Reason), Is.EqualTo(("checking-caller", "database-timeout")));
    }
}
