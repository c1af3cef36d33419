namespace Ivr.Store;

/// <summary>
/// A stored hash that cannot be checked: malformed, or made with a pepper that is no longer configured. A
/// failure of the system, never counted as a wrong password (that would lock subscribers out for our mistake).
/// </summary>
public sealed class UnverifiableHashException(string message) : Exception(message);
