using Ivr.Domain;
using Stateless;

namespace Ivr.CallFlow;

/// <summary>
/// The call flow's Stateless machine (SPEC §2–3): where each trigger leads from each state, and what the call does
/// on entering a state (its entry actions plan the prompts, inputs and store steps).
/// </summary>
/// <remarks>
/// <para>
/// The machine sees a call only through three things: its state, the trigger, and the call's
/// <see cref="CallConditions"/>. Its guards read only those conditions, and its entry actions only add steps to a
/// plan. So each decision (the destination and the steps planned there) is a function of those three, and the
/// machine is asked every question once, when this type is first used: every state, every trigger, every set of
/// conditions. A call then fires by looking its decision up.
/// </para>
/// <para>
/// Why not fire Stateless for every call: each <c>Fire</c> allocated 1–2 KB (the state boxed in every superstate
/// check, closures, LINQ over the behaviours and their guards), a call fired five to nine times, and that was 87 % of
/// what the call flow allocated, and the largest part of what made the collector run while calls were open
/// (measured in docs/benchmarks.md, "Stateless decides once").
/// </para>
/// </remarks>
internal static class CallFlowMachine
{
    private static readonly int TriggerCount = Enum.GetValues<CallTrigger>().Length;
    // Every combination of the conditions, a flag added later included.
    private static readonly int ConditionSets = Enum.GetValues<CallConditions>().Aggregate(0, (all, condition) => all | (int)condition) + 1;

    // The question being put to the machine while the decisions are taken (only then, on one thread).
    private static Question? s_asking;
    private static readonly StateMachine<CallState, CallTrigger>.TriggerWithParameters<Question>[] Triggers =
        new StateMachine<CallState, CallTrigger>.TriggerWithParameters<Question>[TriggerCount];
    private static readonly StateMachine<CallState, CallTrigger> Machine = Configure();
    private static readonly CallDecision?[] Decisions = DecideEverything();
    private static readonly bool[] InCallStates = Enum.GetValues<CallState>().Select(IsInCallOnMachine).ToArray();

    /// <summary>Where <paramref name="trigger"/> leads a call in <paramref name="state"/> with these conditions, and what it does there.</summary>
    /// <exception cref="InvalidOperationException">The machine does not permit the trigger there: a defect of the flow.</exception>
    public static CallDecision Decide(CallState state, CallTrigger trigger, CallConditions conditions) =>
        Decisions[Index(state, trigger, conditions)]
        ?? throw new InvalidOperationException($"the call flow does not permit {trigger} in {state}");

    /// <summary>True for the states of a call in progress, which a hang-up or a failure can end.</summary>
    public static bool IsInCall(CallState state) => InCallStates[(int)state];

    /// <summary>The machine's structure, for the call-flow graph.</summary>
    public static Stateless.Reflection.StateMachineInfo GetInfo() => Machine.GetInfo();

    private static StateMachine<CallState, CallTrigger> Configure()
    {
        var machine = new StateMachine<CallState, CallTrigger>(
            () => s_asking?.State ?? CallState.HandedOver, state => s_asking!.State = state, FiringMode.Immediate);
        foreach (var trigger in Enum.GetValues<CallTrigger>())
        {
            Triggers[(int)trigger] = machine.SetTriggerParameters<Question>(trigger);
        }
        // Every state is in the graph, in the order of CallState, even one nothing leaves.
        foreach (var state in Enum.GetValues<CallState>())
        {
            machine.Configure(state);
        }
        // A trigger the machine does not permit is a decision too: there is none.
        machine.OnUnhandledTrigger((_, _) => s_asking!.Permitted = false);
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
            .PermitIf(unitSelected, CallState.EnteringPassword, call => call.Has(CallConditions.TargetIsImplied), "line unit, or admin/user from an additional number")
            .PermitIf(unitSelected, CallState.EnteringNumber, call => !call.Has(CallConditions.TargetIsImplied), "number unit, or admin/user from the main number");

        ConfigureInput(machine, CallState.EnteringNumber, badInput)
            .OnEntry(t => Of(t).Plan(CallStep.Ask(PromptId.EnterNumber, CallFlowOptions.NumberDigits)), "enter-number")
            .Permit(CallTrigger.NumberAccepted, CallState.EnteringPassword);

        // An additional number registering itself hears the seed's wording for that case (SPEC §2).
        ConfigureInput(machine, CallState.EnteringPassword, badInput)
            .OnEntryFrom(unitSelected, call => call.PlanReadBackOfTarget(), "read back the target, setting-for")
            .OnEntryFrom(Triggers[(int)CallTrigger.NumberAccepted], call => call.PlanReadBackOfTarget(), "read back the target, setting-for")
            .OnEntry(t => Of(t).Plan(CallStep.Ask(
                Of(t).Has(CallConditions.RegistersItself) ? PromptId.EnterPasswordRegister : PromptId.EnterPassword, TemporaryPassword.Length)), "enter-password")
            .Permit(CallTrigger.PasswordKeyed, CallState.ConfirmingPassword);

        // A confirmation that does not match sends the caller back to key both entries again (SPEC §2 step 5).
        machine.Configure(CallState.ConfirmingPassword)
            .SubstateOf(CallState.InCall)
            .OnEntry(t => Of(t).Plan(CallStep.Ask(PromptId.ConfirmPassword, TemporaryPassword.Length)), "confirm-password")
            .Permit(CallTrigger.PasswordConfirmed, CallState.Committing)
            .PermitIf(badInput, CallState.EnteringPassword, call => call.Has(CallConditions.BadInputsLeft), "bad input")
            .PermitIf(badInput, CallState.TooManyErrors, call => !call.Has(CallConditions.BadInputsLeft), "third bad input");

        machine.Configure(CallState.Committing)
            .SubstateOf(CallState.InCall)
            .OnEntry(t => Of(t).Plan(CallStep.Commit), "commit, re-checking the contract")
            .Permit(CallTrigger.Committed, CallState.Completed)
            .Permit(CallTrigger.CommitRefused, CallState.NotContracted);

        machine.Configure(CallState.Completed).OnEntry(t => Of(t).Plan(CallStep.ReadBackTarget).PlanEnding(PromptId.Completed), "read back the target, completed, hang up");
        machine.Configure(CallState.TooManyErrors).OnEntry(t => Of(t).PlanEnding(PromptId.TooManyErrors), "too-many-errors, hang up");
        machine.Configure(CallState.NotContracted).OnEntry(t => Of(t).PlanEnding(PromptId.NotContracted), "not-contracted, hang up");
        machine.Configure(CallState.CallerIdRequired).OnEntry(t => Of(t).PlanEnding(PromptId.CallerIdRequired), "caller-id-required, hang up");
        machine.Configure(CallState.SystemError).OnEntry(t => Of(t).PlanEnding(PromptId.SystemError), "system-error, hang up");
        return machine;
    }

    // What every step that asks for input shares: it is part of the call, a bad input plays invalid-retry and asks
    // again, and the third bad input of the call ends it.
    private static StateMachine<CallState, CallTrigger>.StateConfiguration ConfigureInput(
        StateMachine<CallState, CallTrigger> machine, CallState state, StateMachine<CallState, CallTrigger>.TriggerWithParameters<Question> badInput) =>
        machine.Configure(state)
            .SubstateOf(CallState.InCall)
            .OnEntryFrom(badInput, call => call.Plan(CallStep.Play(PromptId.InvalidRetry)), "invalid-retry")
            .PermitReentryIf(badInput, call => call.Has(CallConditions.BadInputsLeft), "bad input")
            .PermitIf(badInput, CallState.TooManyErrors, call => !call.Has(CallConditions.BadInputsLeft), "third bad input");

    // Every trigger carries the question it answers.
    private static Question Of(StateMachine<CallState, CallTrigger>.Transition transition) => (Question)transition.Parameters[0];

    private static CallDecision?[] DecideEverything()
    {
        var decisions = new CallDecision?[Enum.GetValues<CallState>().Length * TriggerCount * ConditionSets];
        foreach (var state in Enum.GetValues<CallState>())
        {
            foreach (var trigger in Enum.GetValues<CallTrigger>())
            {
                for (var conditions = CallConditions.None; (int)conditions < ConditionSets; conditions++)
                {
                    var question = s_asking = new Question(state, conditions);
                    Machine.Fire(Triggers[(int)trigger], question);
                    decisions[Index(state, trigger, conditions)] = question.Permitted ? new CallDecision(question.State, [.. question.Steps]) : null;
                }
            }
        }
        s_asking = null;
        return decisions;
    }

    private static bool IsInCallOnMachine(CallState state)
    {
        s_asking = new Question(state, CallConditions.None);
        var inCall = Machine.IsInState(CallState.InCall);
        s_asking = null;
        return inCall;
    }

    private static int Index(CallState state, CallTrigger trigger, CallConditions conditions) =>
        ((int)state * TriggerCount + (int)trigger) * ConditionSets + (int)conditions;

    /// <summary>One question to the machine: a call in a state, with its conditions; the machine moves it and plans its steps.</summary>
    private sealed class Question(CallState state, CallConditions conditions)
    {
        public CallState State { get; set; } = state;

        public bool Permitted { get; set; } = true;

        public List<CallStep> Steps { get; } = [];

        public bool Has(CallConditions condition) => conditions.HasFlag(condition);

        public Question Plan(CallStep step)
        {
            Steps.Add(step);
            return this;
        }

        public void PlanReadBackOfTarget() => Plan(CallStep.ReadBackTarget).Plan(CallStep.Play(PromptId.SettingFor));

        public void PlanEnding(PromptId prompt) => Plan(CallStep.Play(prompt)).Plan(CallStep.HangUp);
    }
}
