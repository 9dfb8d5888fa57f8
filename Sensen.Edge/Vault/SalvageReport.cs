namespace Sensen.Edge.Vault;

/// <summary>What a salvage did: the quarantine folder (damaged file, its log and copies of its epoch keys) and the items kept and lost.</summary>
internal sealed record SalvageReport(string Quarantine, IReadOnlyList<string> Kept, IReadOnlyList<string> Lost);
