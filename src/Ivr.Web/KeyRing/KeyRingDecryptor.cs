using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Ivr.Web;

/// <summary>
/// Decrypts a stored key's secret with the key ring key. Data Protection creates it by the type name written
/// beside the secret, through this constructor.
/// </summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    private readonly KeyRingKey _key = services.GetRequiredService<KeyRingKey>();

    public XElement Decrypt(XElement encryptedElement) => _key.Decrypt(encryptedElement);
}
