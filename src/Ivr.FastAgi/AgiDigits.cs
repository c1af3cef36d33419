namespace Ivr.FastAgi;

/// <summary>What <c>GET DATA</c> collected: the keys (with <c>*</c>, never the ending <c>#</c>) and whether the caller stopped keying.</summary>
public readonly record struct AgiDigits(string Digits, bool TimedOut);
