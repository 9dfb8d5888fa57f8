namespace Sensen.Edge.Recording;

/// <summary>How a clip ended: sealed into the vault; abandoned (nothing to record); failed (encoder or vault error).</summary>
internal enum ClipOutcome
{
    Sealed,
    Abandoned,
    Failed,
}
