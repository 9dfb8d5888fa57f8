namespace Sensen.Edge.Vault;

/// <summary>Internal signal from opening or verifying: the file holds proven corruption (the inner exception), so recovery runs.</summary>
internal sealed class VaultCorruptionDetectedException : Exception
{
    public VaultCorruptionDetectedException(Exception proof)
        : base("vault corruption detected: " + proof.Message, proof)
    {
    }
}
