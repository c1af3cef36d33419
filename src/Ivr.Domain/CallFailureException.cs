namespace Ivr.Domain;

/// <summary>
/// A port could not do its part of a call, for a known <see cref="Cause"/>: the store is down or too slow, the
/// hashing slots are all busy, Asterisk failed a command. The call ends with <c>system-error</c>, and the cause is
/// what the operators see in the log, the audit row and the metrics. The message never holds caller input.
/// </summary>
public sealed class CallFailureException(SystemErrorCause cause, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public SystemErrorCause Cause { get; } = cause;
}
