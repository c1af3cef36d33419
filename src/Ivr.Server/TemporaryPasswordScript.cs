using Ivr.CallFlow;
using Ivr.Domain;
using Ivr.FastAgi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ivr.Server;

/// <summary>The FastAGI script at <c>agi://host:4573/temp-password</c>: one <see cref="TemporaryPasswordCall"/> per connection.</summary>
public sealed class TemporaryPasswordScript(
    IContractDirectory directory,
    ICredentialStore credentials,
    IAuditLog audit,
    IOptions<CallFlowOptions> callFlow,
    IOptions<ServerOptions> server,
    TimeProvider time,
    CallFlowMetrics metrics,
    ILogger<TemporaryPasswordCall> logger) : IAgiScript
{
    public const string ScriptPath = "temp-password";

    private readonly AgiCallKey? _callKey = server.Value.AgiKey is { Length: > 0 } key ? new AgiCallKey(key) : null;

    public string Path => ScriptPath;

    public async Task RunAsync(AgiSession session, CancellationToken callsMustEnd)
    {
        var environment = session.Environment;
        if (_callKey is not null && !await _callKey.IsPresentedByAsync(session))
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
        var flow = new TemporaryPasswordCall(call, new AgiCaller(session), directory, credentials, audit, callFlow.Value, time, logger, metrics);
        await flow.RunAsync(session.HangUp, callsMustEnd);
    }
}
