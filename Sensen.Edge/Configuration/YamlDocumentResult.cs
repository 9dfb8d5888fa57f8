using YamlDotNet.Core;

namespace Sensen.Edge.Configuration;

/// <summary>A YAML file bound onto <typeparamref name="T"/>, or the errors that stopped it, with key positions.</summary>
/// <param name="Value">The bound value; null when the document could not be bound at all.</param>
/// <param name="Errors">Every syntax, key, type and range error found.</param>
/// <param name="Marks">Position of each key path, for locating later semantic errors.</param>
/// <param name="FullPath">The file's absolute path.</param>
/// <param name="Sha256">Hex SHA-256 of the file's bytes.</param>
/// <param name="FileMissing">True when the file could not be found or read at all.</param>
internal sealed record YamlDocumentResult<T>(
    T? Value,
    IReadOnlyList<ConfigError> Errors,
    IReadOnlyDictionary<string, Mark> Marks,
    string FullPath,
    string Sha256,
    bool FileMissing = false)
    where T : class
{
    internal static YamlDocumentResult<T> Fail(string file, string message, bool missing = false) =>
        new(null, [new ConfigError(file, 0, 0, "", message)], new Dictionary<string, Mark>(), "", "", missing);
}
