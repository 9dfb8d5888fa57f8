namespace Sensen.Edge.Configuration;

/// <summary>A configuration file that parsed and validated, with what the later stages need to know about it.</summary>
/// <param name="Options">The typed options.</param>
/// <param name="FilePath">Absolute path of the file.</param>
/// <param name="Sha256">Hex SHA-256 of the file's bytes; evidence manifests carry it.</param>
internal sealed record LoadedConfig(EdgeOptions Options, string FilePath, string Sha256)
{
    /// <summary>Directory that relative paths in the file are resolved from.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(FilePath)!;

    /// <summary>Resolves a path from the file against the file's own directory.</summary>
    public string Resolve(string path) => System.IO.Path.GetFullPath(path, Directory);

    /// <summary>The models directory, resolved.</summary>
    public string ModelsDirectory => Resolve(Options.Inference.ModelsDirectory);
}
