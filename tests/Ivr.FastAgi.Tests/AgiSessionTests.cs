using Ivr.FastAgi;

namespace Ivr.FastAgi.Tests;

/// <summary>The session over a pipe pair, with Asterisk 22's replies for every case of SPEC §7.</summary>
public class AgiSessionTests
{
    [Test]
    public async Task GET_DATA_sends_its_command_and_returns_the_digits()
    {
        await using var asterisk = await AsteriskSide.StartAsync();

        var keyed = asterisk.Session.GetDataAsync("temp-password/select-unit", TimeSpan.FromSeconds(10), 1);
        Assert.That(await asterisk.ReadCommandAsync(), Is.EqualTo("GET DATA temp-password/select-unit 10000 1"));
        await asterisk.WriteAsync("200 result=1\n");

        Assert.That(await keyed, Is.EqualTo(new AgiDigits("1", false)));
    }

    [Test]
    public async Task Once_the_session_is_disposed_its_environment_keeps_only_the_unique_id()
    {
        // The block goes back to a shared pool for the next call: nothing of it may be read through this session after.
        var asterisk = await AsteriskSide.StartAsync();
        var environment = asterisk.Session.Environment;
        Assert.That((environment.CallerId, environment.NetworkScript), Is.EqualTo(("0612345678", "temp-password")));

        await asterisk.DisposeAsync();

        Assert.That((environment.UniqueId, environment.CallerId, environment.NetworkScript), Is.EqualTo(("1.1", (string?)null, (string?)null)));
    }

    [Test]
    public async Task GET_DATA_reports_a_timeout_with_the_partial_digits()
    {
        await using var asterisk = await AsteriskSide.StartAsync();

        var keyed = asterisk.Session.GetDataAsync("temp-password/enter-number", TimeSpan.FromSeconds(10), 15);
        await asterisk.ReadCommandAsync();
        await asterisk.WriteAsync("200 result=0612 (timeout)\n");

        Assert.That(await keyed, Is.EqualTo(new AgiDigits("0612", true)));
    }

    [TestCase("200 result=1 (a-long-shared-secret)\n", "a-long-shared-secret")]
    [TestCase("200 result=1 ()\n", "")]
    [TestCase("200 result=0\n", null)]
    public async Task GET_VARIABLE_returns_the_value_or_null_when_it_is_unset(string reply, string? value)
    {
        await using var asterisk = await AsteriskSide.StartAsync();

        var read = asterisk.Session.GetVariableAsync("IVR_AGI_KEY");
        Assert.That(await asterisk.ReadCommandAsync(), Is.EqualTo("GET VARIABLE IVR_AGI_KEY"));
        await asterisk.WriteAsync(reply);

        Assert.That(await read, Is.EqualTo(value));
    }

    [Test]
    public async Task Minus_one_then_HANGUP_is_the_caller_hanging_up()
    {
        await using var asterisk = await AsteriskSide.StartAsync();

        var keyed = asterisk.Session.GetDataAsync("temp-password/confirm-password", TimeSpan.FromSeconds(10), 8);
        await asterisk.ReadCommandAsync();
        await asterisk.WriteAsync("200 result=-1\nHANGUP\n");

        Assert.That(async () => await keyed, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(asterisk.Session.HangUp.IsCancellationRequested);
    }

    [Test]
    public async Task Minus_one_alone_is_a_failure_on_a_live_channel_not_a_hang_up()
    {
        await using var asterisk = await AsteriskSide.StartAsync();

        var played = asterisk.Session.StreamFileAsync("temp-password/missing");
        await asterisk.ReadCommandAsync();
        await asterisk.WriteAsync("200 result=-1 endpos=0\n");

        var e = Assert.ThrowsAsync<AgiCommandException>(async () => await played);
        Assert.That((e!.Command, e.File), Is.EqualTo(("STREAM FILE", "temp-password/missing")));
        Assert.That(asterisk.Session.HangUp.IsCancellationRequested, Is.False);
    }

    [Test]
    public async Task HANGUP_while_no_command_is_in_flight_cancels_the_call_at_once()
    {
        await using var asterisk = await AsteriskSide.StartAsync();
        var hungUp = new TaskCompletionSource();
        asterisk.Session.HangUp.Register(hungUp.SetResult);

        await asterisk.WriteAsync("HANGUP\n");

        Assert.That(async () => await hungUp.Task.WaitAsync(TimeSpan.FromSeconds(5)), Throws.Nothing);
        Assert.That(async () => await asterisk.Session.StreamFileAsync("x"), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task A_HANGUP_right_behind_the_environment_is_seen_without_waiting_for_more_bytes()
    {
        await using var asterisk = await AsteriskSide.StartAsync(afterEnvironment: "HANGUP\n");

        Assert.That(() => asterisk.Session.HangUp.IsCancellationRequested, Is.True.After(2000, 10));
    }

    [Test]
    public async Task A_511_reply_is_a_hang_up()
    {
        await using var asterisk = await AsteriskSide.StartAsync();

        var said = asterisk.Session.SayDigitsAsync("0612345678");
        Assert.That(await asterisk.ReadCommandAsync(), Is.EqualTo("SAY DIGITS 0612345678 \"\""));
        await asterisk.WriteAsync("511 Command Not Permitted on a dead channel or intercept routine\n");

        Assert.That(async () => await said, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(asterisk.Session.HangUp.IsCancellationRequested);
    }

    [Test]
    public async Task A_multi_line_520_usage_is_one_command_failure()
    {
        await using var asterisk = await AsteriskSide.StartAsync();

        var sent = asterisk.Session.SendAsync("GET DATA");
        await asterisk.ReadCommandAsync();
        await asterisk.WriteAsync("520-Invalid command syntax.  Proper usage follows:\n Usage: GET DATA <file to be streamed> [timeout] [max digits]\n520 End of proper usage.\n");

        var e = Assert.ThrowsAsync<AgiCommandException>(async () => await sent);
        Assert.That(e!.Reply.Status, Is.EqualTo(AgiReply.UsageError));
        Assert.That(e.Reply.Text, Does.Contain("Usage: GET DATA"));

        var next = asterisk.Session.HangUpAsync();
        Assert.That(await asterisk.ReadCommandAsync(), Is.EqualTo("HANGUP"), "the session is still usable after the usage");
        await asterisk.WriteAsync("200 result=1\nHANGUP\n");
        await next;
    }

    [TestCase("510 Invalid or unknown command\n", 510)]
    [TestCase("503 result=-2 Memory allocation failure\n", 503)]
    public async Task Error_statuses_are_command_failures(string reply, int status)
    {
        await using var asterisk = await AsteriskSide.StartAsync();

        var sent = asterisk.Session.SendAsync("FROB");
        await asterisk.ReadCommandAsync();
        await asterisk.WriteAsync(reply);

        var e = Assert.ThrowsAsync<AgiCommandException>(async () => await sent);
        Assert.That(e!.Reply.Status, Is.EqualTo(status));
    }

    [Test]
    public async Task A_peer_that_stops_answering_breaks_the_session()
    {
        await using var asterisk = await AsteriskSide.StartAsync(new FastAgiLimits { ReplyTimeout = TimeSpan.FromMilliseconds(100) });

        var e = Assert.ThrowsAsync<AgiProtocolException>(async () => await asterisk.Session.StreamFileAsync("x"));

        Assert.That(e!.Reason, Is.EqualTo(AgiProtocolError.ReplyTimeout));
        Assert.That(() => asterisk.Session.StreamFileAsync("y"), Throws.InstanceOf<AgiProtocolException>(), "a broken session stays broken");
    }

    [Test]
    public async Task A_reply_nobody_asked_for_breaks_the_session()
    {
        await using var asterisk = await AsteriskSide.StartAsync();

        await asterisk.WriteAsync("200 result=0\n");
        await Task.Delay(100);

        var e = Assert.ThrowsAsync<AgiProtocolException>(async () => await asterisk.Session.StreamFileAsync("x"));
        Assert.That(e!.Reason, Is.EqualTo(AgiProtocolError.UnexpectedReply));
    }

    [Test]
    public async Task The_end_of_the_stream_is_a_hang_up()
    {
        await using var asterisk = await AsteriskSide.StartAsync();

        await asterisk.CloseAsync();

        Assert.That(() => asterisk.Session.HangUp.IsCancellationRequested, Is.True.After(5000, 10));
    }

    [Test]
    public async Task Our_own_HANGUP_gets_result_1_then_Asterisks_HANGUP_line()
    {
        await using var asterisk = await AsteriskSide.StartAsync();

        var hangUp = asterisk.Session.HangUpAsync();
        await asterisk.ReadCommandAsync();
        await asterisk.WriteAsync("200 result=1\nHANGUP\n");

        Assert.That(async () => await hangUp, Throws.Nothing);
    }
}
