namespace Ivr.Domain;

/// <summary>
/// A temporary password after the slow, peppered hash: what the store keeps (SPEC §4). Made while the caller keys
/// the confirmation, so that the commit need not wait for it.
/// </summary>
/// <param name="Value">The self-describing stored form (algorithm, parameters, salt, hash); never the digits.</param>
public sealed record TemporaryPasswordHash(string Value)
{
    public override string ToString() => "temporary password hash";
}
