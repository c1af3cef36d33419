namespace Ivr.CallFlow;

/// <summary>What the caller keyed in answer to a prompt.</summary>
/// <param name="Digits">The keys pressed, <c>*</c> included, never the terminating <c>#</c>.</param>
/// <param name="TimedOut">True when the input ended because the caller stopped keying, not by <c>#</c> or the digit limit.</param>
public readonly record struct CallerInput(string Digits, bool TimedOut);
