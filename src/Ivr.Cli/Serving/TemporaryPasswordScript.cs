using Ivr.CallFlow;
using Ivr.FastAgi;
using Microsoft.Extensions.Logging;

namespace Ivr.Cli.Serving;

/// <summary>The FastAGI script at <c>agi://host:4573/temp-password</c>: one <see cref="TemporaryPasswordCall"/> per connection.</summary>
public sealed class TemporaryPasswordScript(
    IContractDirectory directory,
    ICredentialStore credentials,
    IAuditLog audit,
    CallFlowOptions options,
    TimeProvider time,
    ILogger<TemporaryPasswordCall> logger,
    AgiCallKey? callKey = null) : IAgiScript
{
    public const string ScriptPath = "temp-password";

    public string Path => ScriptPath;

    public async Task RunAsync(AgiSession session, CancellationToken stopping)
    {
        var environment = session.Environment;
        if (callKey is not null && !await callKey.IsPresentedByAsync(session))
        {
            // Whoever reached the port without the dialplan's key is not Asterisk: nothing is looked up or written.
            Log.CallKeyRefused(logger, environment.UniqueId);
            await session.StreamFileAsync(PromptId.SystemError.Value);
            await session.HangUpAsync();
            return;
        }
        // A call must be auditable even when a broken peer sent no unique id.
        var callId = string.IsNullOrWhiteSpace(environment.UniqueId) ? $"no-uniqueid-{Guid.NewGuid():N}" : environment.UniqueId;
        var call = new IncomingCall(callId, environment.CallerId, environment.CallingPresentation);
        var flow = new TemporaryPasswordCall(call, new AgiCaller(session, stopping), directory, credentials, audit, options, time, logger);
        await flow.RunAsync(session.HangUp);
    }
}
