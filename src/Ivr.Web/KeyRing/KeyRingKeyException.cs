namespace Ivr.Web;

/// <summary>The key ring key given opens none of the stored keys: a configuration problem, in one line.</summary>
public sealed class KeyRingKeyException(string message) : Exception(message);
