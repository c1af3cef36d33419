using Ivr.Domain;
using Microsoft.Extensions.Logging;
using Stateless;

namespace Ivr.CallFlow;

/// <summary>
/// One call to the setup number, from the caller check to the ending (SPEC §2–3), driven by a Stateless machine.
/// Entering a state plans what the call says and asks there (its entry actions); the call carries the plan out, and
/// what the caller keyed or the store answered names the trigger it fires next.
/// </summary>
/// <remarks>
/// <para>
/// One machine serves every call. Configuring a Stateless machine builds its whole graph (25 KB, 19 KB of it kept
/// for the call's life, a reflection look-up per action), which made the graph the largest thing each call held and
/// the main reason its state outlived the garbage collector's youngest generation (docs/benchmarks.md). Built once,
/// the graph costs a call nothing. Stateless keeps a machine's state through an accessor: this one reads the state of
/// the call firing on this thread, and every trigger carries that call, so guards and actions reach it as their
/// argument. Sharing is safe because a machine is only read while it fires (every state is configured here, so
/// Stateless adds none later), <see cref="FiringMode.Immediate"/> keeps no queue of its own, and a fire is
/// synchronous: entry actions only plan, so the call runs its actions to completion itself.
/// </para>
/// <para>
/// The plan is carried out by one loop (<see cref="RunPlanAsync"/>) that awaits the caller and the store directly:
/// a call waiting on the caller holds that loop and nothing made for the wait.
/// </para>
/// </remarks>
public sealed class TemporaryPasswordCall
{
    [ThreadStatic]
    private static TemporaryPasswordCall? t_current;
    private static readonly StateMachine<CallState, CallTrigger>.TriggerWithParameters<TemporaryPasswordCall>[] Triggers =
        new StateMachine<CallState, CallTrigger>.TriggerWithParameters<TemporaryPasswordCall>[Enum.GetValues<CallTrigger>().Length];
    private static readonly StateMachine<CallState, CallTrigger> Machine = Configure();

    private readonly IncomingCall _call;
    private readonly ICaller _caller;
    private readonly CallTraceRecorder _trace;
    private readonly IContractDirectory _directory;
    private readonly ICredentialStore _credentials;
    private readonly IAuditLog _audit;
    private readonly CallFlowOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CallFlowMetrics _metrics;
    private readonly Queue<CallStep> _plan = new(4);

    // The shutdown rule, in one place (issue 14): until the commit starts, every step honours both the caller's
    // hang-up and the server's "calls must end"; a commit that has started is finished and announced, honouring
    // only the hang-up. An ending always plays out unless the caller is gone.
    private CancellationToken _callerGone;
    private CancellationToken _callsMustEnd;
    private CallState _state = CallState.HandedOver;
    private CallTrigger? _next;
    private DateTimeOffset _startedAt;
    private string? _callerNumber;
    private CallerLine? _line;
    private SettingUnit? _unit;
    private string? _target;
    private TemporaryPassword? _password;
    private PendingHash? _hash;
    private RefusalReason? _refusal;
    private SystemErrorCause? _failure;
    private int _badInputs;
    private CallState _stepReached = CallState.HandedOver;

    public TemporaryPasswordCall(
        IncomingCall call,
        ICaller caller,
        IContractDirectory directory,
        ICredentialStore credentials,
        IAuditLog audit,
        CallFlowOptions options,
        TimeProvider time,
        ILogger<TemporaryPasswordCall> logger,
        CallFlowMetrics metrics)
    {
        _call = call;
        _caller = caller;
        // Every command to the caller is written down, and the audit row carries it (issue 15).
        _trace = new CallTraceRecorder(time);
        _directory = directory;
        _credentials = credentials;
        _audit = audit;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    private static StateMachine<CallState, CallTrigger> Configure()
    {
        var machine = new StateMachine<CallState, CallTrigger>(
            () => t_current?._state ?? CallState.HandedOver, state => t_current!._state = state, FiringMode.Immediate);
        foreach (var trigger in Enum.GetValues<CallTrigger>())
        {
            Triggers[(int)trigger] = machine.SetTriggerParameters<TemporaryPasswordCall>(trigger);
        }
        // Configured before anything else, so that firing never adds a state to the shared machine.
        foreach (var state in Enum.GetValues<CallState>())
        {
            machine.Configure(state);
        }
        machine.OnTransitioned(t => Of(t).Transitioned(t.Destination));
        var unitSelected = Triggers[(int)CallTrigger.UnitSelected];
        var badInput = Triggers[(int)CallTrigger.BadInput];

        machine.Configure(CallState.HandedOver)
            .Permit(CallTrigger.CallStarted, CallState.CheckingCaller);

        // Only a call in progress can be hung up on or fail; an ending plays out and stops.
        machine.Configure(CallState.InCall)
            .Permit(CallTrigger.CallerHungUp, CallState.CallerHungUp)
            .Permit(CallTrigger.SystemFailed, CallState.SystemError);

        machine.Configure(CallState.CheckingCaller)
            .SubstateOf(CallState.InCall)
            .OnEntry(t => Of(t).Plan(CallStep.CheckCaller), "look up the caller's line")
            .Permit(CallTrigger.CallerWithheld, CallState.CallerIdRequired)
            .Permit(CallTrigger.CallerNotContracted, CallState.NotContracted)
            .Permit(CallTrigger.CallerIdentified, CallState.SelectingUnit);

        ConfigureInput(machine, CallState.SelectingUnit, badInput)
            .OnEntry(t => Of(t).Plan(CallStep.Ask(PromptId.SelectUnit, CallFlowOptions.MenuDigits)), "select-unit")
            .PermitIf(unitSelected, CallState.EnteringPassword, call => call.TargetIsImplied(), "line unit, or admin/user from an additional number")
            .PermitIf(unitSelected, CallState.EnteringNumber, call => !call.TargetIsImplied(), "number unit, or admin/user from the main number");

        ConfigureInput(machine, CallState.EnteringNumber, badInput)
            .OnEntry(t => Of(t).Plan(CallStep.Ask(PromptId.EnterNumber, CallFlowOptions.NumberDigits)), "enter-number")
            .Permit(CallTrigger.NumberAccepted, CallState.EnteringPassword);

        ConfigureInput(machine, CallState.EnteringPassword, badInput)
            .OnEntryFrom(unitSelected, call => call.PlanReadBackOfTarget(), "read back the target, setting-for")
            .OnEntryFrom(Triggers[(int)CallTrigger.NumberAccepted], call => call.PlanReadBackOfTarget(), "read back the target, setting-for")
            .OnEntry(t => Of(t).PlanPasswordEntry(), "enter-password")
            .Permit(CallTrigger.PasswordKeyed, CallState.ConfirmingPassword);

        // A confirmation that does not match sends the caller back to key both entries again (SPEC §2 step 5).
        machine.Configure(CallState.ConfirmingPassword)
            .SubstateOf(CallState.InCall)
            .OnEntry(t => Of(t).Plan(CallStep.Ask(PromptId.ConfirmPassword, TemporaryPassword.Length)), "confirm-password")
            .Permit(CallTrigger.PasswordConfirmed, CallState.Committing)
            .PermitIf(badInput, CallState.EnteringPassword, call => call.BadInputsLeft, "bad input")
            .PermitIf(badInput, CallState.TooManyErrors, call => !call.BadInputsLeft, "third bad input");

        machine.Configure(CallState.Committing)
            .SubstateOf(CallState.InCall)
            .OnEntry(t => Of(t).Plan(CallStep.Commit), "commit, re-checking the contract")
            .Permit(CallTrigger.Committed, CallState.Completed)
            .Permit(CallTrigger.CommitRefused, CallState.NotContracted);

        machine.Configure(CallState.Completed).OnEntry(t => Of(t).PlanCompletion(), "read back the target, completed, hang up");
        machine.Configure(CallState.TooManyErrors).OnEntry(t => Of(t).PlanEnding(PromptId.TooManyErrors), "too-many-errors, hang up");
        machine.Configure(CallState.NotContracted).OnEntry(t => Of(t).PlanEnding(PromptId.NotContracted), "not-contracted, hang up");
        machine.Configure(CallState.CallerIdRequired).OnEntry(t => Of(t).PlanEnding(PromptId.CallerIdRequired), "caller-id-required, hang up");
        machine.Configure(CallState.SystemError).OnEntry(t => Of(t).PlanEnding(PromptId.SystemError), "system-error, hang up");
        return machine;
    }

    // What every step that asks for input shares: it is part of the call, a bad input plays invalid-retry and asks
    // again, and the third bad input of the call ends it.
    private static StateMachine<CallState, CallTrigger>.StateConfiguration ConfigureInput(
        StateMachine<CallState, CallTrigger> machine, CallState state, StateMachine<CallState, CallTrigger>.TriggerWithParameters<TemporaryPasswordCall> badInput) =>
        machine.Configure(state)
            .SubstateOf(CallState.InCall)
            .OnEntryFrom(badInput, call => call.Plan(CallStep.Play(PromptId.InvalidRetry)), "invalid-retry")
            .PermitReentryIf(badInput, call => call.BadInputsLeft, "bad input")
            .PermitIf(badInput, CallState.TooManyErrors, call => !call.BadInputsLeft, "third bad input");

    // Every trigger carries the call it happened on.
    private static TemporaryPasswordCall Of(StateMachine<CallState, CallTrigger>.Transition transition) =>
        (TemporaryPasswordCall)transition.Parameters[0];

    /// <summary>The machine's structure, for the call-flow graph.</summary>
    public static Stateless.Reflection.StateMachineInfo GetInfo() => Machine.GetInfo();

    /// <summary>
    /// Runs the whole call and returns its audit row, which it has written (exactly one, whatever happens).
    /// <paramref name="callerGone"/> is cancelled when the caller hangs up: the flow then stops at once.
    /// <paramref name="callsMustEnd"/> is cancelled when the server's shutdown grace period is over: a call that
    /// has not started its commit hears <c>system-error</c>; one that has is finished and announced.
    /// </summary>
    public async Task<CallRecord> RunAsync(CancellationToken callerGone, CancellationToken callsMustEnd = default)
    {
        (_callerGone, _callsMustEnd) = (callerGone, callsMustEnd);
        _startedAt = _time.GetUtcNow();
        _metrics.CallStarted();
        Log.CallStarted(_logger, _call.CallId);
        try
        {
            Fire(CallTrigger.CallStarted);
            await RunPlanAsync();
        }
        catch (OperationCanceledException) when (callerGone.IsCancellationRequested)
        {
            await EndInCallAsync(CallTrigger.CallerHungUp);
        }
        catch (Exception e) when (InCall)
        {
            _failure = CauseOf(e);
            if (_failure == SystemErrorCause.Unexpected)
            {
                Log.SystemFailure(_logger, _call.CallId, _state.ToName(), _failure.Value.ToName(), e);
            }
            else
            {
                Log.KnownFailure(_logger, _call.CallId, _state.ToName(), _failure.Value.ToName(), e.Message);
            }
            await EndInCallAsync(CallTrigger.SystemFailed);
        }
        catch (Exception e)
        {
            // The outcome was decided when the ending was entered: the caller heard its prompt, or hung up during it.
            Log.EndingCutShort(_logger, _call.CallId, _state.ToName(), e.GetType().Name);
        }
        finally
        {
            _hash?.Discard();
        }

        var record = Record(OutcomeOf(_state));
        await WriteAuditAsync(record);
        _metrics.CallEnded(record);
        Log.CallEnded(_logger, _call.CallId, record.Outcome.ToName(), record.StepReached, record.Unit?.ToName(), record.Reason);
        return record;
    }

    private SystemErrorCause CauseOf(Exception e) => e switch
    {
        CallFailureException failure => failure.Cause,
        OperationCanceledException when _callsMustEnd.IsCancellationRequested => SystemErrorCause.ServerStopping,
        _ => SystemErrorCause.Unexpected,
    };

    // A failure while the ending itself plays (the caller hung up during too-many-errors, the system-error
    // prompt is missing too) changes nothing: the outcome was decided when the ending was entered.
    private async Task EndInCallAsync(CallTrigger trigger)
    {
        if (!InCall)
        {
            return;
        }
        try
        {
            _plan.Clear();
            Fire(trigger);
            await RunPlanAsync();
        }
        catch (Exception e) when (e is OperationCanceledException || trigger == CallTrigger.SystemFailed)
        {
            Log.EndingCutShort(_logger, _call.CallId, _state.ToName(), e.GetType().Name);
        }
    }

    /// <summary>
    /// Carries out the plan, step by step, firing what each step's answer named, until nothing is planned: an ending
    /// has played. Every wait of the call is here, awaited directly.
    /// </summary>
    private async Task RunPlanAsync()
    {
        while (_plan.TryDequeue(out var step))
        {
            var started = _time.GetTimestamp();
            CallerInput input = default;
            try
            {
                // Until the commit starts, no step begins once calls must end; an ending only stops for the hang-up.
                // (A step under way runs on: AGI cannot stop a command Asterisk is carrying out.)
                if (!IsEnding(_state))
                {
                    _callsMustEnd.ThrowIfCancellationRequested();
                }
                switch (step.Kind)
                {
                    case CallStepKind.Play:
                        await _caller.PlayAsync(step.Prompt, _callerGone);
                        break;
                    case CallStepKind.ReadBack:
                        await _caller.SayDigitsAsync(step.Digits!, _callerGone);
                        break;
                    case CallStepKind.Ask:
                        input = await _caller.AskAsync(step.Prompt, _options.InputTimeout, step.MaxDigits, _callerGone);
                        break;
                    case CallStepKind.HangUp:
                        await _caller.HangUpAsync(_callerGone);
                        break;
                    case CallStepKind.CheckCaller:
                        _callerNumber = CallerNumber.Normalise(_call.CallerId, _call.CallingPresentation);
                        _line = _callerNumber is null ? null : await _directory.FindCallerLineAsync(_callerNumber, _callerGone);
                        break;
                    case CallStepKind.CheckNumber:
                        _target = await _directory.IsSubscribedNumberOfContractAsync(Line.ContractId, step.Digits!, _callerGone) ? step.Digits : null;
                        break;
                    case CallStepKind.Commit:
                        await CommitAsync();
                        break;
                }
            }
            catch
            {
                Traced(step, started, input, interrupted: true);
                throw;
            }
            Traced(step, started, input, interrupted: false);
            Answered(step, input);
            if (_next is { } trigger)
            {
                _next = null;
                Fire(trigger);
            }
        }
    }

    private void Traced(CallStep step, long started, CallerInput input, bool interrupted)
    {
        switch (step.Kind)
        {
            case CallStepKind.Play:
                _trace.Played(step.Prompt, started, interrupted);
                break;
            case CallStepKind.ReadBack:
                _trace.ReadBack(step.Digits!, started, interrupted);
                break;
            case CallStepKind.Ask when interrupted:
                _trace.NotKeyed(step.Prompt, started);
                break;
            case CallStepKind.Ask:
                _trace.Keyed(step.Prompt, started, input);
                break;
            case CallStepKind.HangUp:
                _trace.HungUp(started, interrupted);
                break;
        }
    }

    // What each answer means for the call: the trigger it names.
    private void Answered(CallStep step, CallerInput input)
    {
        switch (step.Kind)
        {
            case CallStepKind.CheckCaller:
                Then(_callerNumber is null ? CallTrigger.CallerWithheld
                    : _line is null ? CallTrigger.CallerNotContracted
                    : CallTrigger.CallerIdentified);
                break;
            case CallStepKind.CheckNumber when _target is not null:
                Then(CallTrigger.NumberAccepted);
                break;
            case CallStepKind.CheckNumber:
                BadInput();
                break;
            case CallStepKind.Ask:
                Keyed(input);
                break;
        }
    }

    private void Keyed(CallerInput input)
    {
        switch (_state)
        {
            case CallState.SelectingUnit:
                UnitKeyed(input);
                break;
            case CallState.EnteringNumber:
                NumberKeyed(input);
                break;
            case CallState.EnteringPassword:
                PasswordKeyed(input);
                break;
            case CallState.ConfirmingPassword:
                ConfirmationKeyed(input);
                break;
        }
    }

    private void UnitKeyed(CallerInput input)
    {
        if (input.Digits is ['1' or '2' or '3'] && !input.TimedOut)
        {
            var unit = (SettingUnit)(input.Digits[0] - '0');
            _unit = unit;
            _target = TargetIsImplied() ? (unit == SettingUnit.Line ? Line.MainNumber : Line.Number) : null;
            Then(CallTrigger.UnitSelected);
            return;
        }
        BadInput();
    }

    // The line unit always sets the contract's main number; an additional number's admin/user unit sets itself.
    private bool TargetIsImplied() => _unit is { } unit && (unit == SettingUnit.Line || (unit == SettingUnit.AdminUser && !Line.IsMainNumber));

    private void NumberKeyed(CallerInput input)
    {
        // A number counts only when the caller ended it with '#' (SPEC §2 step 3), and only within their own contract.
        var keyed = input.Digits;
        if (!input.TimedOut && keyed.Length > 0 && keyed.All(char.IsAsciiDigit))
        {
            Plan(CallStep.CheckNumber(keyed));
            return;
        }
        BadInput();
    }

    private void PlanReadBackOfTarget()
    {
        Plan(CallStep.ReadBack(Target));
        Plan(CallStep.Play(PromptId.SettingFor));
    }

    // An additional number registering itself hears the seed's wording for that case (SPEC §2).
    private void PlanPasswordEntry() => Plan(CallStep.Ask(
        _unit == SettingUnit.AdminUser && !Line.IsMainNumber ? PromptId.EnterPasswordRegister : PromptId.EnterPassword, TemporaryPassword.Length));

    private void PasswordKeyed(CallerInput input)
    {
        if (TemporaryPassword.TryCreate(input.Digits, out var password))
        {
            _password = password;
            // The slow hash runs while the confirmation prompt plays and the caller keys again (issue 11), so the
            // caller hears no silence after the last key. Nothing is written before the confirmation. Only the
            // hang-up cancels it: a call confirmed before the grace period ended commits with it, and the end of the
            // call discards a hash nobody committed.
            _hash = new PendingHash(_credentials, password!, _callerGone);
            Then(CallTrigger.PasswordKeyed);
            return;
        }
        BadInput();
    }

    private void ConfirmationKeyed(CallerInput input)
    {
        if (_password!.Matches(input.Digits))
        {
            Then(CallTrigger.PasswordConfirmed);
            return;
        }
        _password = null;
        _hash!.Discard();
        _hash = null;
        BadInput();
    }

    private async Task CommitAsync()
    {
        // After the grace period no commit starts; once it has started, only the caller's hang-up stops it.
        _callsMustEnd.ThrowIfCancellationRequested();
        var confirmedAt = _time.GetTimestamp();
        var hash = await _hash!.Task;
        var result = await _credentials.SetTemporaryPasswordAsync(new TemporaryPasswordRequest(_call.CallId, Line, _unit!.Value, Target, hash), _callerGone);
        _metrics.CommitAnswered(result, _time.GetElapsedTime(confirmedAt));
        // The store logs a refusal with its detail, and the call's last line carries its reason: nothing to add here.
        _refusal = result.Refusal;
        Then(result.IsCommitted ? CallTrigger.Committed : CallTrigger.CommitRefused);
    }

    private void PlanCompletion()
    {
        Plan(CallStep.ReadBack(Target));
        PlanEnding(PromptId.Completed);
    }

    private void PlanEnding(PromptId prompt)
    {
        Plan(CallStep.Play(prompt));
        Plan(CallStep.HangUp);
    }

    private void Plan(CallStep step) => _plan.Enqueue(step);

    // An answer names what happened; the call fires it once the step is done (run to completion).
    private void Then(CallTrigger trigger) => _next = trigger;

    private void Fire(CallTrigger trigger)
    {
        using (new OnThisThread(this))
        {
            Machine.Fire(Triggers[(int)trigger], this);
        }
    }

    private bool InCall
    {
        get
        {
            using (new OnThisThread(this))
            {
                return Machine.IsInState(CallState.InCall);
            }
        }
    }

    // The shared machine reads and writes this call's state while the scope lasts (see the remarks above).
    private readonly ref struct OnThisThread
    {
        public OnThisThread(TemporaryPasswordCall call) => t_current = call;

        public void Dispose() => t_current = null;
    }

    private void Transitioned(CallState destination)
    {
        if (!IsEnding(destination))
        {
            _stepReached = destination;
        }
    }

    private void BadInput()
    {
        _badInputs++;
        _trace.BadInput();
        _metrics.BadInput(_state);
        Log.BadInput(_logger, _call.CallId, _state.ToName(), _badInputs);
        Then(CallTrigger.BadInput);
    }

    private bool BadInputsLeft => _badInputs < CallFlowOptions.MaxBadInputs;

    private CallerLine Line => _line ?? throw new InvalidOperationException("the caller's line is not known yet");

    private string Target => _target ?? throw new InvalidOperationException("the target number is not known yet");

    private CallRecord Record(CallOutcome outcome) => new(
        _call.CallId, _startedAt, _time.GetUtcNow(), _callerNumber, _unit, _target, outcome, _stepReached.ToName(),
        outcome switch
        {
            CallOutcome.NotContracted => _refusal?.ToName(),
            CallOutcome.SystemError => (_failure ?? SystemErrorCause.Unexpected).ToName(),
            _ => null,
        },
        _trace.ToTrace());

    private async Task WriteAuditAsync(CallRecord record)
    {
        // The hang-up token is usually cancelled by now: the audit row gets a bounded time of its own.
        using var timeout = new CancellationTokenSource(_options.AuditTimeout, _time);
        try
        {
            await _audit.WriteAsync(record, timeout.Token);
        }
        catch (Exception e)
        {
            Log.AuditFailed(_logger, _call.CallId, e);
        }
    }

    private static bool IsEnding(CallState state) => state >= CallState.Completed;

    private static CallOutcome OutcomeOf(CallState state) => state switch
    {
        CallState.Completed => CallOutcome.Completed,
        CallState.TooManyErrors => CallOutcome.TooManyErrors,
        CallState.NotContracted => CallOutcome.NotContracted,
        CallState.CallerIdRequired => CallOutcome.CallerIdRequired,
        CallState.CallerHungUp => CallOutcome.CallerHungUp,
        _ => CallOutcome.SystemError,
    };
}
