namespace Ivr.Lab;

/// <summary>How the simulated Asterisk presents a call: the variables a real one would send.</summary>
/// <param name="CallId">The <c>agi_uniqueid</c>.</param>
/// <param name="CallerId">The <c>agi_callerid</c>.</param>
/// <param name="CallingPresentation">The <c>agi_callingpres</c>.</param>
/// <param name="Script">The script path of the AGI URL.</param>
/// <param name="MissingPrompts">Prompt files to answer as missing (<c>result=-1</c> on a live channel), for fault tests.</param>
/// <param name="Key">Asterisk's shared secret, the reply to <c>GET VARIABLE ENV(IVR_AGI_KEY)</c>; null when Asterisk has none.</param>
/// <param name="PlaybackTime">How long each prompt, readback and input takes before Asterisk replies, as audio and a caller would; zero answers at once.</param>
/// <param name="ThinkTime">The caller's mean keying time before each <c>GET DATA</c> reply; zero keys at once.</param>
/// <param name="ThinkJitter">Keying time is uniform in <paramref name="ThinkTime"/>·(1 ± this).</param>
public sealed record LabCallSetup(
    string CallId,
    string CallerId,
    int CallingPresentation = 0,
    string Script = "temp-password",
    IReadOnlySet<string>? MissingPrompts = null,
    string? Key = null,
    TimeSpan PlaybackTime = default,
    TimeSpan ThinkTime = default,
    double ThinkJitter = 0)
{
    public static string NewCallId() => $"lab-{Guid.NewGuid():N}";
}
