namespace Sensen.Edge.Configuration;

/// <summary>A credential is missing, unreadable or malformed. The message names it, never its content.</summary>
internal sealed class CredentialException : Exception
{
    public CredentialException(string message)
        : base(message)
    {
    }

    public CredentialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CredentialException()
    {
    }
}
