using Sensen.Edge.Cli;

namespace Sensen.Edge.Vault;

/// <summary>A vault failure with a message fit for an operator (never a secret) and the exit code it deserves.</summary>
internal sealed class VaultException : Exception
{
    public VaultException(VaultErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    public VaultErrorKind Kind { get; }

    public int ExitCode => Kind switch
    {
        VaultErrorKind.Credential => ExitCodes.Config,
        VaultErrorKind.WrongKey => ExitCodes.NoPermission,
        VaultErrorKind.Corrupt => ExitCodes.DataError,
        VaultErrorKind.Missing or VaultErrorKind.NotFound => ExitCodes.NoInput,
        VaultErrorKind.InUse => ExitCodes.TempFail,
        VaultErrorKind.Full => ExitCodes.CannotCreate,
        VaultErrorKind.IllegalTransition => ExitCodes.DataError,
        _ => ExitCodes.IoError,
    };
}
