namespace Sensen.Edge.Cli;

/// <summary>Process exit codes, following sysexits.h where one fits, so systemd and scripts can tell failures apart.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something failed at run time (a stage crashed); systemd restarts the unit.</summary>
    public const int Failure = 1;

    /// <summary>Bad command line (EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>Input data is malformed or unusable (EX_DATAERR), e.g. a corrupt vault database, a camera stream without video.</summary>
    public const int DataError = 65;

    /// <summary>An input file is missing or unreadable (EX_NOINPUT).</summary>
    public const int NoInput = 66;

    /// <summary>A remote host is unreachable (EX_UNAVAILABLE).</summary>
    public const int Unavailable = 69;

    /// <summary>A required feature or resource is absent (EX_SOFTWARE), e.g. no GPU when one is required.</summary>
    public const int Software = 70;

    /// <summary>A file could not be written (EX_CANTCREAT).</summary>
    public const int CannotCreate = 73;

    /// <summary>An I/O error on a file (EX_IOERR).</summary>
    public const int IoError = 74;

    /// <summary>Try again later, e.g. the vault is held by the running daemon (EX_TEMPFAIL).</summary>
    public const int TempFail = 75;

    /// <summary>Authentication refused (EX_NOPERM).</summary>
    public const int NoPermission = 77;

    /// <summary>The configuration is invalid (EX_CONFIG).</summary>
    public const int Config = 78;
}
