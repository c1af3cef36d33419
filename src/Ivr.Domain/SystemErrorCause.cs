namespace Ivr.Domain;

/// <summary>Why a call ended with <c>system-error</c>, for the operators (log line, audit row, metric); the caller hears only that the service cannot take the request now.</summary>
public enum SystemErrorCause
{
    /// <summary>The database could not be reached or refused the work.</summary>
    DatabaseUnavailable,

    /// <summary>A database step took longer than its deadline.</summary>
    DatabaseTimeout,

    /// <summary>The server is stopping and the call had not committed when its grace period ended.</summary>
    ServerStopping,

    /// <summary>Asterisk could not carry out a command on a live channel (a prompt file missing, for instance).</summary>
    CommandFailed,

    /// <summary>The peer broke the FastAGI protocol.</summary>
    ProtocolFault,

    /// <summary>Every hashing slot stayed busy longer than the call may wait.</summary>
    HashingBusy,

    /// <summary>Anything else: a defect, logged with its exception.</summary>
    Unexpected,
}
