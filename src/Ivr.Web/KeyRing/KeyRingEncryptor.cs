using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Ivr.Web;

/// <summary>Encrypts a new Data Protection key's secret with the key ring key before it is stored.</summary>
internal sealed class KeyRingEncryptor(KeyRingKey key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(System.Xml.Linq.XElement plaintextElement) => new(key.Encrypt(plaintextElement), typeof(KeyRingDecryptor));
}
