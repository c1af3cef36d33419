namespace Ivr.Domain;

/// <summary>
/// A guidance prompt, named as Asterisk finds its audio: <c>temp-password/select-unit</c> is
/// <c>sounds/ja/temp-password/select-unit.wav</c> (SPEC §2). The Japanese text lives in
/// <c>prompts/manifest.tsv</c>, beside the audio made from it.
/// </summary>
public readonly record struct PromptId(string Value)
{
    public static readonly PromptId SelectUnit = new("temp-password/select-unit");
    public static readonly PromptId EnterNumber = new("temp-password/enter-number");
    public static readonly PromptId SettingFor = new("temp-password/setting-for");
    public static readonly PromptId EnterPassword = new("temp-password/enter-password");
    public static readonly PromptId EnterPasswordRegister = new("temp-password/enter-password-register");
    public static readonly PromptId InvalidRetry = new("temp-password/invalid-retry");
    public static readonly PromptId ConfirmPassword = new("temp-password/confirm-password");
    public static readonly PromptId Completed = new("temp-password/completed");
    public static readonly PromptId TooManyErrors = new("temp-password/too-many-errors");
    public static readonly PromptId NotContracted = new("temp-password/not-contracted");
    public static readonly PromptId CallerIdRequired = new("temp-password/caller-id-required");
    public static readonly PromptId SystemError = new("temp-password/system-error");

    /// <summary>Every prompt the call flow can play, in the order SPEC §2 lists them.</summary>
    public static IReadOnlyList<PromptId> All { get; } =
    [
        SelectUnit, EnterNumber, SettingFor, EnterPassword, EnterPasswordRegister, InvalidRetry,
        ConfirmPassword, Completed, TooManyErrors, NotContracted, CallerIdRequired, SystemError,
    ];

    public override string ToString() => Value;
}
