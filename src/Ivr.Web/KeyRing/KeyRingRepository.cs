using System.Xml.Linq;
using Ivr.Store;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Ivr.Web;

/// <summary>Data Protection's key ring in the shared database, so that every instance and every restart use the same keys.</summary>
internal sealed class KeyRingRepository(WebsiteKeyRing store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => store.ReadAll().Select(xml => XElement.Parse(xml)).ToList();

    public void StoreElement(XElement element, string friendlyName) => store.Store(friendlyName, element.ToString(SaveOptions.DisableFormatting));
}
