using Ivr.Store;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Hosting;

namespace Ivr.Web;

/// <summary>
/// At start, before a page is served: refuses a key ring key that opens none of the stored keys (every session
/// would end and the instances would disagree), then reads the key ring, making its first key if there is none,
/// one instance at a time.
/// </summary>
internal sealed class KeyRingStartup(WebsiteKeyRing store, KeyRingKey key, IDataProtectionProvider protection) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.WhileStartingAloneAsync(() =>
    {
        var secrets = store.ReadAll().Select(xml => System.Xml.Linq.XElement.Parse(xml))
            .SelectMany(element => element.Descendants(KeyRingKey.SecretElement)).ToList();
        if (secrets.Count > 0 && !secrets.Any(key.Encrypted))
        {
            throw new KeyRingKeyException(
                $"IVR_WEB__KEY_RING_KEY (key {key.KeyId}) opens none of the website's keys in the database; give every instance the same key (see docs/deployment.md to replace it)");
        }
        return protection.CreateProtector(nameof(KeyRingStartup)).Protect([1]);
    }, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
