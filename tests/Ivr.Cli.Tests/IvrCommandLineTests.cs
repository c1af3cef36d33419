using System.Text.Json;
using Ivr.Lab;
using Ivr.Testing;
using Ivr.Web;
using Microsoft.Extensions.Configuration;

namespace Ivr.Cli.Tests;

/// <summary>The <c>ivr</c> commands of SPEC §6 against a real store and server, and their one-line errors.</summary>
[NonParallelizable]
public class IvrCommandLineTests
{
    private TestDatabase _database = null!;
    private IConfiguration _configuration = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        _database = await TestDatabase.CreateAsync();
        _configuration = _database.Configuration();
    }

    [OneTimeTearDown]
    public async Task DropDatabase() => await _database.DisposeAsync();

    [Test]
    public async Task Migrate_twice_applies_the_schema_once()
    {
        var (exitCode, output, _) = await IvrProgram.RunAsync(_configuration, "", "db", "migrate");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(output.Trim(), Is.EqualTo("schema is up to date"));
    }

    [Test]
    public async Task Import_is_idempotent()
    {
        await IvrProgram.RunAsync(_configuration, "", "directory", "import", RepositoryPaths.ScenarioDirectoryCsv);
        var (exitCode, output, _) = await IvrProgram.RunAsync(_configuration, "", "directory", "import", RepositoryPaths.ScenarioDirectoryCsv);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(output.Trim(), Is.EqualTo("imported 8 rows: contracts 0 new, 0 changed; numbers 0 new, 0 changed; 0 credentials revoked"));
    }

    [Test]
    public async Task A_bad_directory_line_is_one_line_naming_the_file_and_the_line()
    {
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, "bad-directory.csv");
        await File.WriteAllTextAsync(file, "contract_id,phone_number,kind,subscribed,active\nC9,0612-3456,main,true,true\n");

        var (exitCode, _, error) = await IvrProgram.RunAsync(_configuration, "", "directory", "import", file);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error, Does.StartWith($"ivr: {file}: line 2: ").And.Contain("0612-3456"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [TestCase(new[] { "credentials", "show", "06-1234" }, "ivr: LOGIN '06-1234' must be a phone number, digits only")]
    [TestCase(new[] { "audit", "tail", "-n", "0" }, "ivr: -n must be between 1 and 10000")]
    [TestCase(new[] { "directory", "import", "/no/such/file.csv" }, "ivr: /no/such/file.csv: ")]
    [TestCase(new[] { "lab", "call", "--caller", "0612345678", "--press", "12a" }, "ivr: --press '12a' must be digits (with # or *), 'timeout' or 'hangup'")]
    [TestCase(new[] { "frobnicate" }, "ivr: ")]
    public async Task Bad_usage_is_one_line_and_exit_code_2(string[] args, string expected)
    {
        var (exitCode, output, error) = await IvrProgram.RunAsync(_configuration, "", args);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error, Does.StartWith(expected));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(output, Is.Empty);
    }

    [TestCase("Database", "IVR_DATABASE is not set")]
    [TestCase("Pepper", "IVR_PEPPER is not set")]
    public async Task Missing_configuration_is_one_line_and_exit_code_3(string missing, string expected)
    {
        var configuration = _database.Configuration(new Dictionary<string, string?> { [missing] = null });

        var (exitCode, _, error) = await IvrProgram.RunAsync(configuration, "", "serve");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Configuration));
        Assert.That(error, Does.StartWith($"ivr: {expected}"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [TestCase("AgiAllow", "10.0.0.0/99", "IVR_AGI_ALLOW '10.0.0.0/99' must be comma-separated addresses or CIDR networks")]
    [TestCase("Listen", "4573", "IVR_LISTEN '4573' must be host:port, for example 127.0.0.1:4573")]
    [TestCase("OperationsListen", "everywhere", "IVR_OPERATIONS_LISTEN 'everywhere' must be host:port, for example 127.0.0.1:4573")]
    [TestCase("AgiKey", "short", "IVR_AGI_KEY must be at least 16 characters")]
    [TestCase("InputTimeout", "00:05:00", "IVR_INPUT_TIMEOUT '00:05:00' must be between 00:00:01 and 00:01:00")]
    [TestCase("HashWait", "00:00:00", "IVR_HASH_WAIT '00:00:00' must be between 00:00:00.1 and 00:01:00")]
    [TestCase("DatabaseDeadline", "00:10:00", "IVR_DATABASE_DEADLINE '00:10:00' must be between 00:00:00.1 and 00:01:00")]
    [TestCase("MaxCalls", "0", "IVR_MAX_CALLS '0' must be between 1 and 1000000")]
    [TestCase("ShutdownGracePeriod", "01:00:00", "IVR_SHUTDOWN_GRACE_PERIOD '01:00:00' must be between 00:00:00 and 00:10:00")]
    public async Task A_bad_option_stops_the_server_at_start_with_one_line_naming_it(string key, string value, string expected)
    {
        var configuration = _database.Configuration(new Dictionary<string, string?> { [key] = value });

        var (exitCode, _, error) = await IvrProgram.RunAsync(configuration, "", "serve");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Configuration));
        Assert.That(error.TrimEnd(), Is.EqualTo($"ivr: {expected}"));
    }

    [Test]
    public async Task Health_answers_ready_for_a_running_server_and_fails_in_one_line_when_none_listens()
    {
        await IvrProgram.RunAsync(_configuration, "", "directory", "import", RepositoryPaths.ScenarioDirectoryCsv);
        var configuration = _database.Configuration(new Dictionary<string, string?> { ["OperationsListen"] = $"127.0.0.1:{FreePort.Next()}" });

        var (downExit, _, downError) = await IvrProgram.RunAsync(configuration, "", "health");
        await using var server = await RunningServer.StartAsync(configuration);
        var (readyExit, ready, _) = await IvrProgram.RunAsync(configuration, "", "health");

        Assert.That((downExit, downError.TrimEnd().Split('\n').Length), Is.EqualTo((ExitCodes.Unavailable, 1)), downError);
        Assert.That(readyExit, Is.EqualTo(ExitCodes.Success), ready);
        Assert.That(ready.Trim(), Is.EqualTo("200 Healthy"));
    }

    [Test]
    public async Task Serve_on_a_port_already_taken_fails_at_once_in_one_line()
    {
        using var taken = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        taken.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        taken.Listen();
        var address = $"127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndPoint!).Port}";

        var (exit, _, error) = await IvrProgram.RunAsync(_database.Configuration(new Dictionary<string, string?> { ["Listen"] = address }), "", "serve")
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
        Assert.That(error.TrimEnd().Split('\n'), Is.EqualTo(new[] { $"ivr: cannot listen for FastAGI on {address}: Address already in use" }));
    }

    [TestCase(null, null, "IVR_WEB__KEY_RING_KEY must be base64 of at least 32 random bytes")]
    [TestCase("AAAA", null, "IVR_WEB__KEY_RING_KEY must be base64 of at least 32 random bytes")]
    [TestCase(null, "10.0.0.0/33", "IVR_WEB__TRUSTED_PROXIES '10.0.0.0/33' must be comma-separated addresses or CIDR networks")]
    [TestCase("login-rate", "0", "IVR_WEB__LOGIN_ATTEMPTS_PER_MINUTE must be at least 1")]
    public async Task The_website_refuses_to_start_without_a_usable_key_ring_key_or_with_a_malformed_proxy_list(string? key, string? proxies, string expected)
    {
        var configuration = _database.Configuration(key == "login-rate"
            ? new Dictionary<string, string?> { ["Web:KeyRingKey"] = Convert.ToBase64String(new byte[32]), ["Web:LoginAttemptsPerMinute"] = proxies }
            : new Dictionary<string, string?> { ["Web:KeyRingKey"] = proxies is null ? key : Convert.ToBase64String(new byte[32]), ["Web:TrustedProxies"] = proxies });

        var (exitCode, _, error) = await IvrProgram.RunAsync(configuration, "", "web");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Configuration));
        Assert.That(error, Does.StartWith($"ivr: {expected}"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void The_website_reads_its_key_ring_key_from_a_file_and_its_trusted_proxies_as_addresses_and_networks()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "c2VjcmV0LWtleS1yaW5nLWtleS1vZi10aGlydHktdHdvLWJ5dGVz\n");
            var options = _database.Configuration(new Dictionary<string, string?>
            {
                ["Web:KeyRingKeyFile"] = file, ["Web:TrustedProxies"] = "172.30.45.20, 10.1.0.0/16,::1",
            }).GetSection(IvrWebsite.ConfigurationSection).Get<WebsiteOptions>()!;

            Assert.That(WebsiteOptionsValidator.FindProblem(options), Is.Null);
            Assert.That(options.ResolveKeyRingKey(), Is.EqualTo("c2VjcmV0LWtleS1yaW5nLWtleS1vZi10aGlydHktdHdvLWJ5dGVz"));
            Assert.That(options.TrustedProxyNetworks.Select(network => network.ToString()), Is.EqualTo(new[] { "172.30.45.20/32", "10.1.0.0/16", "::1/128" }));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task A_short_pepper_is_refused()
    {
        var configuration = _database.Configuration(new Dictionary<string, string?> { ["Pepper"] = Convert.ToBase64String(new byte[16]) });

        var (exitCode, _, error) = await IvrProgram.RunAsync(configuration, "", "serve");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Configuration));
        Assert.That(error.Trim(), Does.StartWith("ivr: IVR_PEPPER must be base64 of at least 32 bytes"));
    }

    [Test]
    public async Task An_unreachable_database_is_one_line_and_exit_code_4()
    {
        var configuration = _database.Configuration(new Dictionary<string, string?> { ["Database"] = "Host=127.0.0.1;Port=1;Username=nobody;Timeout=2" });

        var (exitCode, _, error) = await IvrProgram.RunAsync(configuration, "", "audit", "tail");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Unavailable));
        Assert.That(error, Does.StartWith("ivr: the database cannot be reached"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task A_lab_call_sets_a_password_that_show_verify_and_audit_then_report()
    {
        await IvrProgram.RunAsync(_configuration, "", "directory", "import", RepositoryPaths.ScenarioDirectoryCsv);
        await using var server = await RunningServer.StartAsync(_configuration);

        var (callExit, transcript, _) = await IvrProgram.RunAsync(_configuration, "",
            "lab", "call", "--caller", "0698765433", "--press", "3", "--press", "13572468", "--press", "13572468", "--server", server.Address);
        var (showExit, shown, _) = await IvrProgram.RunAsync(_configuration, "", "credentials", "show", "0698765433");
        var (wrongExit, wrong, _) = await IvrProgram.RunAsync(_configuration, "11111111\n", "credentials", "verify", "0698765433");
        var (rightExit, right, _) = await IvrProgram.RunAsync(_configuration, "13572468\n", "credentials", "verify", "0698765433");
        var callId = transcript.Split(' ')[1];
        var (auditExit, audit, _) = await IvrProgram.RunAsync(_configuration, "", "audit", "show", callId);

        Assert.That(callExit, Is.EqualTo(ExitCodes.Success));
        Assert.That(transcript, Does.Contain("♪ temp-password/enter-password-register").And.Contain("■ system-hangup"));
        Assert.That(showExit, Is.EqualTo(ExitCodes.Success));
        using (var state = JsonDocument.Parse(shown))
        {
            Assert.That(state.RootElement.GetProperty("unit").GetString(), Is.EqualTo("admin-user"));
            Assert.That(state.RootElement.GetProperty("contractId").GetString(), Is.EqualTo("C002"));
            Assert.That(shown, Does.Not.Contain("13572468").And.Not.Contain("$ivr-"));
        }
        Assert.That((wrongExit, wrong.Trim()), Is.EqualTo((ExitCodes.Failed, """{"login":"0698765433","result":"wrong"}""")));
        Assert.That((rightExit, right.Trim()), Is.EqualTo((ExitCodes.Success, """{"login":"0698765433","result":"temporary-ok"}""")));
        Assert.That(auditExit, Is.EqualTo(ExitCodes.Success));
        using var row = JsonDocument.Parse(audit);
        Assert.That(row.RootElement.GetProperty("outcome").GetString(), Is.EqualTo("completed"));
        Assert.That(row.RootElement.GetProperty("targetNumber").GetString(), Is.EqualTo("0698765433"));
    }

    [Test]
    public async Task Unknown_login_and_unknown_call_exit_1()
    {
        var (showExit, _, showError) = await IvrProgram.RunAsync(_configuration, "", "credentials", "show", "0000000000");
        var (auditExit, _, auditError) = await IvrProgram.RunAsync(_configuration, "", "audit", "show", "no-such-call");

        Assert.That((showExit, showError.Trim()), Is.EqualTo((ExitCodes.Failed, "ivr: no credential for 0000000000")));
        Assert.That((auditExit, auditError.Trim()), Is.EqualTo((ExitCodes.Failed, "ivr: no audit row for call no-such-call")));
    }

    [Test]
    public async Task A_lab_call_to_a_server_that_is_not_there_is_one_line()
    {
        var (exitCode, _, error) = await IvrProgram.RunAsync(_configuration, "", "lab", "call", "--caller", "0612345678", "--server", "127.0.0.1:1");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Unavailable));
        Assert.That(error, Does.StartWith("ivr: the FastAGI server cannot be reached"));
    }
}
