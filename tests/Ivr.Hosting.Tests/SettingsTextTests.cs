using System.Net;
using Ivr.Hosting;

namespace Ivr.Hosting.Tests;

/// <summary>The text of the listen and peer-list settings, as operators write them.</summary>
public sealed class SettingsTextTests
{
    [TestCase("127.0.0.1:4573", "127.0.0.1", 4573)]
    [TestCase("0.0.0.0:9464", "0.0.0.0", 9464)]
    [TestCase("[::1]:8080", "::1", 8080)]
    [TestCase("localhost:4573", "127.0.0.1", 4573)]
    public void A_listen_setting_is_host_and_port(string text, string address, int port) =>
        Assert.That(EndPoints.Parse(text, "IVR_LISTEN"), Is.EqualTo(new IPEndPoint(IPAddress.Parse(address), port)));

    [TestCase("4573")]
    [TestCase("127.0.0.1:")]
    [TestCase("127.0.0.1:65536")]
    [TestCase("127.0.0.1:-1")]
    public void A_listen_setting_without_a_port_is_refused_naming_the_setting(string text) =>
        Assert.That(() => EndPoints.Parse(text, "IVR_LISTEN"), Throws.TypeOf<FormatException>().With.Message.EqualTo($"IVR_LISTEN '{text}' must be host:port, for example 127.0.0.1:4573"));

    [TestCase("off")]
    [TestCase("OFF")]
    [TestCase("")]
    [TestCase(null)]
    public void An_optional_listener_can_be_off(string? text) => Assert.That(EndPoints.ParseOptional(text, "IVR_OPERATIONS_LISTEN"), Is.Null);

    [Test]
    public void A_peer_list_takes_bare_addresses_and_networks() =>
        Assert.That(NetworkList.Parse("127.0.0.1, 10.0.0.0/8,::1"),
            Is.EqualTo(new[] { new IPNetwork(IPAddress.Loopback, 32), IPNetwork.Parse("10.0.0.0/8"), new IPNetwork(IPAddress.IPv6Loopback, 128) }));

    [Test]
    public void An_empty_peer_list_is_no_one() => Assert.That(NetworkList.Parse(" "), Is.Empty);

    [Test]
    public void A_peer_list_entry_that_is_no_address_is_refused() => Assert.That(() => NetworkList.Parse("127.0.0.1, asterisk"), Throws.TypeOf<FormatException>());
}
