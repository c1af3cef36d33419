using Ivr.Domain;
using Microsoft.Extensions.Logging;
using Stateless;

namespace Ivr.CallFlow;

/// <summary>
/// One call to the setup number, from the caller check to the ending (SPEC §2–3), driven by a Stateless machine.
/// Entry actions talk to the caller and the store through the ports, then name what happened: the trigger the
/// call fires next.
/// </summary>
/// <remarks>
/// One machine serves every call. Configuring a Stateless machine builds its whole graph (25 KB, 19 KB of it kept
/// for the call's life, a reflection look-up per action), which made the graph the largest thing each call held
/// and the main reason its state outlived the garbage collector's youngest generation (docs/benchmarks.md). Built
/// once, the graph costs a call nothing. Stateless keeps a machine's state through an accessor: this one reads
/// the state of the call whose async flow is running (<see cref="Running"/>, set once per call), and every trigger
/// carries that call, so guards and actions reach it as their argument. A shared machine is safe because the
/// machine is only read while it fires (every state is configured here, so Stateless adds none later) and
/// <see cref="FiringMode.Immediate"/> keeps no queue of its own; a call runs its actions to completion itself,
/// firing what each one named only when it has returned.
/// </remarks>
public sealed class TemporaryPasswordCall
{
    private static readonly AsyncLocal<TemporaryPasswordCall?> Running = new();
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

    // The shutdown rule, in one place (issue 14): until the commit starts, every step honours both the caller's
    // hang-up and the server's "calls must end"; a commit that has started is finished and announced, honouring
    // only the hang-up. An ending always plays out unless the caller is gone.
    private CancellationToken _callerGone;
    private CancellationToken _callsMustEnd;
    private CancellationToken _stepToken;
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
        // Every command to the caller goes through the trace, which the audit row carries (issue 15).
        _caller = _trace = new CallTraceRecorder(caller, time);
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
            () => Running.Value?._state ?? CallState.HandedOver, state => Running.Value!._state = state, FiringMode.Immediate);
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
            .OnEntryAsync(t => Of(t).CheckCallerAsync(), "look up the caller's line")
            .Permit(CallTrigger.CallerWithheld, CallState.CallerIdRequired)
            .Permit(CallTrigger.CallerNotContracted, CallState.NotContracted)
            .Permit(CallTrigger.CallerIdentified, CallState.SelectingUnit);

        ConfigureInput(machine, CallState.SelectingUnit, badInput)
            .OnEntryAsync(t => Of(t).AskForUnitAsync(), "select-unit")
            .PermitIf(unitSelected, CallState.EnteringPassword, call => call.TargetIsImplied(), "line unit, or admin/user from an additional number")
            .PermitIf(unitSelected, CallState.EnteringNumber, call => !call.TargetIsImplied(), "number unit, or admin/user from the main number");

        ConfigureInput(machine, CallState.EnteringNumber, badInput)
            .OnEntryAsync(t => Of(t).AskForNumberAsync(), "enter-number")
            .Permit(CallTrigger.NumberAccepted, CallState.EnteringPassword);

        ConfigureInput(machine, CallState.EnteringPassword, badInput)
            .OnEntryFromAsync(unitSelected, call => call.ReadBackTargetAsync(), "read back the target, setting-for")
            .OnEntryFromAsync(Triggers[(int)CallTrigger.NumberAccepted], call => call.ReadBackTargetAsync(), "read back the target, setting-for")
            .OnEntryAsync(t => Of(t).AskForPasswordAsync(), "enter-password")
            .Permit(CallTrigger.PasswordKeyed, CallState.ConfirmingPassword);

        // A confirmation that does not match sends the caller back to key both entries again (SPEC §2 step 5).
        machine.Configure(CallState.ConfirmingPassword)
            .SubstateOf(CallState.InCall)
            .OnEntryAsync(t => Of(t).AskForConfirmationAsync(), "confirm-password")
            .Permit(CallTrigger.PasswordConfirmed, CallState.Committing)
            .PermitIf(badInput, CallState.EnteringPassword, call => call.BadInputsLeft, "bad input")
            .PermitIf(badInput, CallState.TooManyErrors, call => !call.BadInputsLeft, "third bad input");

        machine.Configure(CallState.Committing)
            .SubstateOf(CallState.InCall)
            .OnEntryAsync(t => Of(t).CommitAsync(), "commit, re-checking the contract")
            .Permit(CallTrigger.Committed, CallState.Completed)
            .Permit(CallTrigger.CommitRefused, CallState.NotContracted);

        machine.Configure(CallState.Completed).OnEntryAsync(t => Of(t).AnnounceCompletionAsync(), "read back the target, completed, hang up");
        machine.Configure(CallState.TooManyErrors).OnEntryAsync(t => Of(t).EndWithAsync(PromptId.TooManyErrors), "too-many-errors, hang up");
        machine.Configure(CallState.NotContracted).OnEntryAsync(t => Of(t).EndWithAsync(PromptId.NotContracted), "not-contracted, hang up");
        machine.Configure(CallState.CallerIdRequired).OnEntryAsync(t => Of(t).EndWithAsync(PromptId.CallerIdRequired), "caller-id-required, hang up");
        machine.Configure(CallState.SystemError).OnEntryAsync(t => Of(t).EndWithAsync(PromptId.SystemError), "system-error, hang up");
        return machine;
    }

    // What every step that asks for input shares: it is part of the call, a bad input plays invalid-retry and asks
    // again, and the third bad input of the call ends it.
    private static StateMachine<CallState, CallTrigger>.StateConfiguration ConfigureInput(
        StateMachine<CallState, CallTrigger> machine, CallState state, StateMachine<CallState, CallTrigger>.TriggerWithParameters<TemporaryPasswordCall> badInput) =>
        machine.Configure(state)
            .SubstateOf(CallState.InCall)
            .OnEntryFromAsync(badInput, call => call.PlayInvalidRetryAsync(), "invalid-retry")
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
        using var steps = CancellationTokenSource.CreateLinkedTokenSource(callerGone, callsMustEnd);
        (_callerGone, _callsMustEnd, _stepToken) = (callerGone, callsMustEnd, steps.Token);
        _startedAt = _time.GetUtcNow();
        _metrics.CallStarted();
        Log.CallStarted(_logger, _call.CallId);
        Running.Value = this;
        try
        {
            await FireAsync(CallTrigger.CallStarted);
        }
        catch (OperationCanceledException) when (callerGone.IsCancellationRequested)
        {
            await EndInCallAsync(CallTrigger.CallerHungUp);
        }
        catch (Exception e) when (Machine.IsInState(CallState.InCall))
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
        if (!Machine.IsInState(CallState.InCall))
        {
            return;
        }
        try
        {
            await FireAsync(trigger);
        }
        catch (Exception e) when (e is OperationCanceledException || trigger == CallTrigger.SystemFailed)
        {
            Log.EndingCutShort(_logger, _call.CallId, _state.ToName(), e.GetType().Name);
        }
    }

    // Fires the trigger, then each trigger the entered state's action named, until an action names none (an ending).
    private async Task FireAsync(CallTrigger trigger)
    {
        for (CallTrigger? next = trigger; next is { } fired; next = _next)
        {
            _next = null;
            await Machine.FireAsync(Triggers[(int)fired], this);
        }
    }

    // An entry action names what happened; the call fires it once the action has returned (run to completion).
    private void Then(CallTrigger trigger) => _next = trigger;

    private void Transitioned(CallState destination)
    {
        if (!IsEnding(destination))
        {
            _stepReached = destination;
        }
    }

    private async Task CheckCallerAsync()
    {
        _callerNumber = CallerNumber.Normalise(_call.CallerId, _call.CallingPresentation);
        if (_callerNumber is null)
        {
            Then(CallTrigger.CallerWithheld);
            return;
        }
        _line = await _directory.FindCallerLineAsync(_callerNumber, _stepToken);
        Then(_line is null ? CallTrigger.CallerNotContracted : CallTrigger.CallerIdentified);
    }

    private async Task AskForUnitAsync()
    {
        var input = await AskAsync(PromptId.SelectUnit, CallFlowOptions.MenuDigits);
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

    private async Task AskForNumberAsync()
    {
        var input = await AskAsync(PromptId.EnterNumber, CallFlowOptions.NumberDigits);
        // A number counts only when the caller ended it with '#' (SPEC §2 step 3), and only within their own contract.
        var keyed = input.Digits;
        if (!input.TimedOut && keyed.Length > 0 && keyed.All(char.IsAsciiDigit)
            && await _directory.IsSubscribedNumberOfContractAsync(Line.ContractId, keyed, _stepToken))
        {
            _target = keyed;
            Then(CallTrigger.NumberAccepted);
            return;
        }
        BadInput();
    }

    private async Task ReadBackTargetAsync()
    {
        await _caller.SayDigitsAsync(Target, _stepToken);
        await _caller.PlayAsync(PromptId.SettingFor, _stepToken);
    }

    private async Task AskForPasswordAsync()
    {
        // An additional number registering itself hears the seed's wording for that case (SPEC §2).
        var prompt = _unit == SettingUnit.AdminUser && !Line.IsMainNumber ? PromptId.EnterPasswordRegister : PromptId.EnterPassword;
        var input = await AskAsync(prompt, TemporaryPassword.Length);
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

    private async Task AskForConfirmationAsync()
    {
        var input = await AskAsync(PromptId.ConfirmPassword, TemporaryPassword.Length);
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
        _stepToken = _callerGone;
        var result = await _credentials.SetTemporaryPasswordAsync(new TemporaryPasswordRequest(_call.CallId, Line, _unit!.Value, Target, hash), _stepToken);
        _metrics.CommitAnswered(result, _time.GetElapsedTime(confirmedAt));
        // The store logs a refusal with its detail, and the call's last line carries its reason: nothing to add here.
        _refusal = result.Refusal;
        Then(result.IsCommitted ? CallTrigger.Committed : CallTrigger.CommitRefused);
    }

    private async Task AnnounceCompletionAsync()
    {
        await _caller.SayDigitsAsync(Target, _callerGone);
        await EndWithAsync(PromptId.Completed);
    }

    private async Task EndWithAsync(PromptId prompt)
    {
        await _caller.PlayAsync(prompt, _callerGone);
        await _caller.HangUpAsync(_callerGone);
    }

    private Task PlayInvalidRetryAsync() =>
        _caller.PlayAsync(PromptId.InvalidRetry, _stepToken);

    private Task<CallerInput> AskAsync(PromptId prompt, int maxDigits) =>
        _caller.AskAsync(prompt, _options.InputTimeout, maxDigits, _stepToken);

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
