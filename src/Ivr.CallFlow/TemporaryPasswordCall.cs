using Ivr.Domain;
using Microsoft.Extensions.Logging;

namespace Ivr.CallFlow;

/// <summary>
/// Calls to the setup number, from the caller check to the ending (SPEC §2–3), one at a time: a connection keeps one
/// flow for the calls it serves. The call flow's Stateless machine (<see cref="CallFlowMachine"/>) decides where each
/// trigger leads and what the call says and asks there; the call carries that plan out, and what the caller keyed or
/// the store answered names the trigger it fires next.
/// </summary>
/// <remarks>
/// The plan is carried out by one loop (<see cref="RunPlanAsync"/>) that awaits the caller and the store directly:
/// a call waiting on the caller holds that loop and nothing made for the wait. The plan and the trace are buffers that
/// outlive their calls: an open call would otherwise hold new ones to its end, which the young collections copy
/// (docs/benchmarks.md). What a call knows is set when it starts and forgotten when it ends, so nothing of one call
/// reaches the next.
/// </remarks>
public sealed class TemporaryPasswordCall
{
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
    private int _running;

    // The call under way, set by Begin with its tokens and start time. What the call learns below starts as a new flow
    // has it, and Forget puts it back so when the call ends: Begin has nothing to clear.
    private IncomingCall _call = null!;
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
        ICaller caller,
        IContractDirectory directory,
        ICredentialStore credentials,
        IAuditLog audit,
        CallFlowOptions options,
        TimeProvider time,
        ILogger<TemporaryPasswordCall> logger,
        CallFlowMetrics metrics)
    {
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

    /// <summary>
    /// Runs the whole of <paramref name="call"/> and returns its audit row, which it has written (exactly one, whatever
    /// happens). <paramref name="callerGone"/> is cancelled when the caller hangs up: the flow then stops at once.
    /// <paramref name="callsMustEnd"/> is cancelled when the server's shutdown grace period is over: a call that
    /// has not started its commit hears <c>system-error</c>; one that has is finished and announced.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another call is still running on this flow.</exception>
    public async Task<CallRecord> RunAsync(IncomingCall call, CancellationToken callerGone, CancellationToken callsMustEnd = default)
    {
        Begin(call, callerGone, callsMustEnd);
        try
        {
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
        finally
        {
            Forget();
            Volatile.Write(ref _running, 0);
        }
    }

    private void Begin(IncomingCall call, CancellationToken callerGone, CancellationToken callsMustEnd)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException("a call is already running on this flow: a flow carries one call at a time");
        }
        _call = call;
        (_callerGone, _callsMustEnd) = (callerGone, callsMustEnd);
        _startedAt = _time.GetUtcNow();
        _trace.Start();
        _metrics.CallStarted();
        Log.CallStarted(_logger, _call.CallId);
    }

    // Everything a call knew, the password above all, is let go of as soon as its row is written.
    private void Forget()
    {
        _plan.Clear();
        _trace.Clear();
        (_callerGone, _callsMustEnd) = (default, default);
        (_state, _stepReached, _next) = (CallState.HandedOver, CallState.HandedOver, null);
        (_callerNumber, _line, _unit, _target) = (null, null, null, null);
        (_password, _hash, _refusal, _failure, _badInputs) = (null, null, null, null, 0);
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
                        await _caller.SayDigitsAsync(Target, _callerGone);
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
                _trace.ReadBack(Target, started, interrupted);
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
            _target = TargetIsImplied ? (unit == SettingUnit.Line ? Line.MainNumber : Line.Number) : null;
            Then(CallTrigger.UnitSelected);
            return;
        }
        BadInput();
    }

    // The line unit always sets the contract's main number; an additional number's admin/user unit sets itself.
    private bool TargetIsImplied => _unit is { } unit && (unit == SettingUnit.Line || RegistersItself);

    // An additional number setting its own admin/user password.
    private bool RegistersItself => _unit == SettingUnit.AdminUser && _line is { IsMainNumber: false };

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

    private void Plan(CallStep step) => _plan.Enqueue(step);

    // An answer names what happened; the call fires it once the step is done (run to completion).
    private void Then(CallTrigger trigger) => _next = trigger;

    private void Fire(CallTrigger trigger)
    {
        var decision = CallFlowMachine.Decide(_state, trigger, Conditions);
        _state = decision.Destination;
        if (!IsEnding(_state))
        {
            _stepReached = _state;
        }
        foreach (var step in decision.Steps)
        {
            Plan(step);
        }
    }

    // All the machine may know of the call when it decides.
    private CallConditions Conditions =>
        (BadInputsLeft ? CallConditions.BadInputsLeft : 0)
        | (TargetIsImplied ? CallConditions.TargetIsImplied : 0)
        | (RegistersItself ? CallConditions.RegistersItself : 0);

    private bool InCall => CallFlowMachine.IsInCall(_state);

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
