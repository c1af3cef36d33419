namespace Ivr.Store;

/// <summary>The PostgreSQL advisory lock keys the store takes; one list, so that no two uses collide.</summary>
internal static class AdvisoryLocks
{
    /// <summary>Held by <see cref="Migrator"/> for a whole migration run.</summary>
    public const long Migrations = 0x4956_52_01; // "IVR" 1

    /// <summary>Held by a directory import for its transaction: imports run one at a time.</summary>
    public const long DirectoryImport = 0x4956_52_02;

    /// <summary>Held by a starting website instance while it makes sure the key ring has a key.</summary>
    public const long WebsiteKeyRing = 0x4956_52_03;
}
