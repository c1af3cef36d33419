namespace Ivr.Store;

/// <summary>What an import did: rows read, and rows inserted or changed (an identical re-import changes none).</summary>
public sealed record DirectoryImportResult(int Contracts, int Numbers, int ContractsChanged, int NumbersChanged);
