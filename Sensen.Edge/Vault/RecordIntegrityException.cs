namespace Sensen.Edge.Vault;

/// <summary>
/// A stored record that is provably damaged or altered: a missing or mistyped field, or a record MAC that does
/// not verify. Proven corruption (docs/VAULT.md, Recovery): the vault salvages around it; it never deletes.
/// </summary>
internal sealed class RecordIntegrityException : Exception
{
    public RecordIntegrityException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
