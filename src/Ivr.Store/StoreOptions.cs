namespace Ivr.Store;

/// <summary>Where the credential store is.</summary>
public sealed class StoreOptions
{
    /// <summary>The Npgsql connection string (<c>IVR_DATABASE</c>). Required.</summary>
    public string? ConnectionString { get; set; }
}
