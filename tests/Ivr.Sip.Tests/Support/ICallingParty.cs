namespace Ivr.Sip.Tests.Support;

/// <summary>The caller's end of a call in progress: a softphone or the scripted carrier.</summary>
internal interface ICallingParty
{
    Task SendDigitsAsync(string keys);

    Task HangUpAsync();

    /// <summary>Waits for the call to end, whoever ended it.</summary>
    Task WaitForEndAsync(TimeSpan timeout);
}
