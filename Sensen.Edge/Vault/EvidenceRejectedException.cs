namespace Sensen.Edge.Vault;

/// <summary>A sealed package failed verification: forged, altered, truncated, or not addressed to this key.</summary>
internal sealed class EvidenceRejectedException : Exception
{
    public EvidenceRejectedException(string message)
        : base(message)
    {
    }

    public EvidenceRejectedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
