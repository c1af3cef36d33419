namespace Ivr.Lab.Scenarios;

/// <summary>One step of a scenario: what is heard, in order, then what is pressed at the next input.</summary>
/// <param name="Hear">Prompt ids, and <c>digits:N</c> for a <c>SAY DIGITS N</c>.</param>
/// <param name="Press">Digits (with <c>#</c> or <c>*</c>), or the words <c>timeout</c> / <c>hangup</c>; null on the last step.</param>
public sealed record ScenarioStep(IReadOnlyList<string> Hear, string? Press);
