using Sensen.Edge.Vault;

namespace Sensen.Edge.Demo.Report;

/// <summary>One item the receiver decrypted: its verified manifest, where its clip is, and the stills taken from it.</summary>
internal sealed record ReportItem(EvidenceManifest Manifest, string ManifestJson, string ClipPath, IReadOnlyList<ReportStill> Stills);
