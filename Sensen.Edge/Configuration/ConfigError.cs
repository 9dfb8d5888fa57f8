namespace Sensen.Edge.Configuration;

/// <summary>One problem in a configuration file, located precisely enough for an installer to fix it.</summary>
/// <param name="File">The file as the user named it.</param>
/// <param name="Line">1-based line, or 0 when the problem is not tied to a place (missing file).</param>
/// <param name="Column">1-based column.</param>
/// <param name="Path">Key path such as <c>cameras[0].url</c>; empty for the whole document.</param>
/// <param name="Message">What is wrong and, where possible, what to write instead.</param>
internal sealed record ConfigError(string File, int Line, int Column, string Path, string Message)
{
    /// <summary><c>FILE:LINE:COL key.path: message</c>, the format compilers use so editors can jump to it.</summary>
    public override string ToString()
    {
        var location = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        return Path.Length > 0 ? $"{location} {Path}: {Message}" : $"{location}: {Message}";
    }
}
