using System.Runtime.CompilerServices;
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
    // The connection handler keeps a session from call to call, and this script keeps the session's call flow (and its
    // caller) with it: an open call would otherwise hold new ones to its end, which the young collections copy
    // (docs/benchmarks.md). A session runs one call at a time, and its call is over, flow and all, before it serves another.
    private readonly ConditionalWeakTable<AgiSession, TemporaryPasswordCall> _flows = new();

    public string Path => ScriptPath;

    // Without a key, the call's own task is the script's: no frame of this method waits as long as the call does.
    public Task RunAsync(AgiSession session, CancellationToken callsMustEnd) =>
        _callKey is null ? RunCallAsync(session, callsMustEnd) : RunKeyedCallAsync(_callKey, session, callsMustEnd);

    private async Task RunKeyedCallAsync(AgiCallKey callKey, AgiSession session, CancellationToken callsMustEnd)
    {
        if (!await callKey.IsPresentedByAsync(session))
        {
            // Whoever reached the port without the dialplan's key is not Asterisk: nothing is looked up or written.
            Log.CallKeyRefused(logger, session.Environment.UniqueId);
            await session.StreamFileAsync(PromptId.SystemError.Value);
            await session.HangUpAsync();
            return;
        }
        await RunCallAsync(session, callsMustEnd);
    }

    private TemporaryPasswordCall NewFlow(AgiSession session) =>
        new(new AgiCaller(session), directory, credentials, audit, callFlow.Value, time, logger, metrics);

    private Task RunCallAsync(AgiSession session, CancellationToken callsMustEnd)
    {
        var environment = session.Environment;
        // A call must be auditable even when a broken peer sent no unique id.
        var callId = string.IsNullOrWhiteSpace(environment.UniqueId) ? $"no-uniqueid-{Guid.NewGuid():N}" : environment.UniqueId;
        var call = new IncomingCall(callId, environment.CallerId, environment.CallingPresentation);
        var flow = _flows.GetOrAdd(session, static (session, script) => script.NewFlow(session), this);
        return flow.RunAsync(call, session.HangUp, callsMustEnd);
    }
}
