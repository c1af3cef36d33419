using Ivr.Domain;

namespace Ivr.CallFlow;

/// <summary>
/// One thing a state's entry actions plan for the call to do: say something to the caller, ask them for keys, or
/// ask the store. The call carries its steps out in order; the answer to each names what happened.
/// </summary>
/// <param name="Kind">What the step does.</param>
/// <param name="Prompt">The prompt played or asked.</param>
/// <param name="MaxDigits">How many keys an input collects.</param>
/// <param name="Digits">The number a number check looks up.</param>
internal readonly record struct CallStep(CallStepKind Kind, PromptId Prompt = default, int MaxDigits = 0, string? Digits = null)
{
    public static CallStep Play(PromptId prompt) => new(CallStepKind.Play, prompt);

    /// <summary>Reads back the number whose temporary password is being set, once the call knows it.</summary>
    public static CallStep ReadBackTarget { get; } = new(CallStepKind.ReadBack);

    public static CallStep Ask(PromptId prompt, int maxDigits) => new(CallStepKind.Ask, prompt, maxDigits);

    public static CallStep HangUp { get; } = new(CallStepKind.HangUp);

    public static CallStep CheckCaller { get; } = new(CallStepKind.CheckCaller);

    public static CallStep CheckNumber(string number) => new(CallStepKind.CheckNumber, Digits: number);

    public static CallStep Commit { get; } = new(CallStepKind.Commit);
}
