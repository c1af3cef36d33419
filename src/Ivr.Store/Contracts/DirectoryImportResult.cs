namespace Ivr.Store;

/// <summary>What a directory import changed; a second import of the same rows changes nothing (all zero).</summary>
/// <param name="ContractsInserted">Contracts new to the directory.</param>
/// <param name="ContractsUpdated">Contracts whose main number or active flag changed.</param>
/// <param name="NumbersInserted">Numbers new to the directory.</param>
/// <param name="NumbersUpdated">Numbers whose contract, kind or subscription changed.</param>
/// <param name="CredentialsRevoked">Credentials deleted because their number moved to another contract (SPEC §3).</param>
public sealed record DirectoryImportResult(
    int ContractsInserted, int ContractsUpdated, int NumbersInserted, int NumbersUpdated, int CredentialsRevoked);
