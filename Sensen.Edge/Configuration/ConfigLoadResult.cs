namespace Sensen.Edge.Configuration;

/// <summary>Either a valid configuration or every error found in it, sorted by position.</summary>
internal sealed record ConfigLoadResult(LoadedConfig? Config, IReadOnlyList<ConfigError> Errors, bool FileMissing = false)
{
    public bool IsValid => Config is not null && Errors.Count == 0;
}
