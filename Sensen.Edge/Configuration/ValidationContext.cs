using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Sensen.Edge.Configuration;

/// <summary>
/// What every stage's validator shares: the file, where each key was written, the error list, and the
/// checks more than one stage makes (ids, uniqueness, references, credential names). Errors come out
/// positioned, <c>FILE:LINE:COL key.path: message</c>, located at the key or its nearest written ancestor.
/// </summary>
internal sealed partial class ValidationContext
{
    private readonly string _file;
    private readonly IReadOnlyDictionary<string, Mark> _marks;
    private readonly List<ConfigError> _errors;
    private readonly List<string> _boundPathsWithErrors;

    /// <param name="file">The file as the user named it.</param>
    /// <param name="config">The bound configuration.</param>
    /// <param name="marks">Position of every key path the binder saw.</param>
    /// <param name="errors">Errors so far (from binding); semantic errors are appended.</param>
    public ValidationContext(string file, LoadedConfig config, IReadOnlyDictionary<string, Mark> marks, List<ConfigError> errors)
    {
        _file = file;
        Config = config;
        _marks = marks;
        _errors = errors;
        _boundPathsWithErrors = errors.Select(e => e.Path).ToList();
    }

    public LoadedConfig Config { get; }

    /// <summary>Whether <paramref name="value"/> is an id: 1-64 letters, digits, '.', '-', '_', not starting with a sign.</summary>
    public static bool IsIdentifier(string value) => IdentifierPattern().IsMatch(value);

    public void CheckIdentifier(string path, string value)
    {
        if (value.Length > 0 && !IsIdentifier(value))
        {
            Error(path, $"'{value}' is not a valid id (1-64 letters, digits, '.', '-', '_')");
        }
    }

    public void CheckCredentialName(string path, string? name)
    {
        if (name is not null && !IsIdentifier(name))
        {
            // A credential reference is a file name in the credentials directory, never the secret itself.
            Error(path, "a credential reference must be a file name in the credentials directory (letters, digits, '.', '-', '_'), not the secret itself");
        }
    }

    public void CheckNotSecretValue(string path, string? value)
    {
        if (value is not null && value.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            Error(path, "a private key is written inline; keys belong in a credential file");
        }
    }

    /// <param name="camera">The camera the ids are defined on, for the message; null for file-wide ids.</param>
    public void CheckReference(string path, string? value, IReadOnlyList<string> known, string what, string? camera)
    {
        if (value is null || known.Contains(value))
        {
            return;
        }

        var scope = camera is null ? "" : $" on camera '{camera}'";
        var choices = known.Count == 0 ? $"none are defined{scope}" : $"defined{scope}: {string.Join(", ", known)}";
        Error(path, $"unknown {what} '{value}'{DidYouMean.Suffix(value, known)}; {choices}");
    }

    /// <summary>Reports each id after its first use as <c>PATH[i].id: duplicate id</c>.</summary>
    public void CheckUnique(string path, IEnumerable<string> ids)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var id in ids)
        {
            if (id.Length > 0 && !seen.Add(id))
            {
                Error($"{path}[{index}].id", $"duplicate id '{id}'");
            }

            index++;
        }
    }

    public void Error(string path, string message)
    {
        // A value that failed to bind kept its default; judging that default would only repeat the first error.
        if (_boundPathsWithErrors.Any(p => Related(p, path)))
        {
            return;
        }

        var mark = Locate(path);
        _errors.Add(new ConfigError(_file, (int)mark.Line, (int)mark.Column, path, message));
    }

    /// <summary>The position of the key path, or of its nearest ancestor written in the file.</summary>
    private Mark Locate(string path)
    {
        for (var p = path; p.Length > 0; p = Parent(p))
        {
            if (_marks.TryGetValue(p, out var mark))
            {
                return mark;
            }
        }

        return _marks.TryGetValue("", out var root) ? root : Mark.Empty;
    }

    private static bool Related(string a, string b) =>
        a == b || IsBelow(a, b) || IsBelow(b, a);

    private static bool IsBelow(string child, string ancestor) =>
        ancestor.Length > 0 && (child.StartsWith(ancestor, StringComparison.Ordinal) && child.Length > ancestor.Length && child[ancestor.Length] is '.' or '[');

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdentifierPattern();
}
