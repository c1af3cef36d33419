using System.Globalization;
using System.Net;

namespace Ivr.Hosting;

/// <summary>The <c>host:port</c> text of every listen setting (<c>IVR_LISTEN</c>, <c>IVR_WEB__LISTEN</c>, …), parsed one way.</summary>
public static class EndPoints
{
    /// <summary>The word that turns an optional listener off.</summary>
    public const string Off = "off";

    /// <summary>
    /// Parses <c>host:port</c> (<c>[::1]:4573</c> for IPv6); a name such as <c>localhost</c> is resolved. Returns
    /// null with a one-line <paramref name="problem"/> naming <paramref name="setting"/> when the text is not one.
    /// </summary>
    public static IPEndPoint? TryParse(string? text, string setting, out string? problem)
    {
        problem = null;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            problem = $"{setting} '{text}' must be host:port, for example 127.0.0.1:4573";
            return null;
        }
        var host = text[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }
        try
        {
            return new IPEndPoint(Dns.GetHostAddresses(host).First(), port);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or InvalidOperationException or ArgumentException)
        {
            problem = $"{setting} '{text}': the host {host} cannot be resolved";
            return null;
        }
    }

    /// <summary>Parses like <see cref="TryParse"/>, throwing <see cref="FormatException"/> with the one-line problem.</summary>
    public static IPEndPoint Parse(string? text, string setting) =>
        TryParse(text, setting, out var problem) ?? throw new FormatException(problem);

    /// <summary>An optional listener: null when it is <see cref="Off"/> or empty.</summary>
    public static IPEndPoint? ParseOptional(string? text, string setting) =>
        string.IsNullOrWhiteSpace(text) || text.Trim().Equals(Off, StringComparison.OrdinalIgnoreCase) ? null : Parse(text, setting);
}
