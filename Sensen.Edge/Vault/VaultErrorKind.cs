namespace Sensen.Edge.Vault;

internal enum VaultErrorKind
{
    /// <summary>A credential or the city key is missing or unusable.</summary>
    Credential,

    /// <summary>The database or storage key does not open this vault.</summary>
    WrongKey,

    /// <summary>The database file is damaged; it was moved aside.</summary>
    Corrupt,

    /// <summary>The database is gone but the audit log says evidence was kept.</summary>
    Missing,

    /// <summary>Another process (the daemon) holds the database.</summary>
    InUse,

    /// <summary>The byte budget or the disk is full; nothing was stored.</summary>
    Full,

    /// <summary>No such evidence item.</summary>
    NotFound,

    /// <summary>The state machine does not allow this.</summary>
    IllegalTransition,

    /// <summary>Reading or writing the disk failed.</summary>
    Io,
}
