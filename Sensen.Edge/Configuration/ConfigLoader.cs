using System.Security.Cryptography;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Sensen.Edge.Configuration;

/// <summary>Reads, parses, binds and validates the one YAML file. Nobody else parses YAML.</summary>
internal static class ConfigLoader
{
    /// <summary>A real configuration is a few KiB; anything this large is a mistake or an attack.</summary>
    internal const int MaxFileBytes = 1024 * 1024;

    /// <summary>Anchors are handy for repeated schedules; hundreds of aliases are not a configuration.</summary>
    internal const int MaxAliases = 256;

    /// <summary>The configuration is a few levels deep; deep nesting only serves to exhaust a recursive parser.</summary>
    internal const int MaxDepth = 32;

    /// <param name="credentials">
    /// Where the credentials the file names must be, given the file's device section; null skips that check
    /// (run reads them itself when the stages start).
    /// </param>
    public static ConfigLoadResult Load(string path, Func<DeviceOptions, CredentialStore>? credentials = null)
    {
        var document = ReadDocument<EdgeOptions>(path);
        if (document.Value is null)
        {
            return new ConfigLoadResult(null, Sorted(document.Errors), document.FileMissing);
        }

        var errors = document.Errors.ToList();
        var config = new LoadedConfig(document.Value, document.FullPath, document.Sha256);
        new ConfigValidator(path, config, document.Marks, errors).Validate(credentials?.Invoke(config.Options.Device));
        return new ConfigLoadResult(errors.Count == 0 ? config : null, Sorted(errors));
    }

    /// <summary>
    /// Reads any YAML file of this project (the configuration, model manifests) onto options record
    /// <typeparamref name="T"/>: size and alias limits, YAML syntax, keys, types and ranges. Semantic
    /// checks are the caller's, using the returned key positions.
    /// </summary>
    public static YamlDocumentResult<T> ReadDocument<T>(string path)
        where T : class, new()
    {
        string fullPath;
        byte[] bytes;
        try
        {
            fullPath = Path.GetFullPath(path);
            var info = new FileInfo(fullPath);
            if (!info.Exists)
            {
                return YamlDocumentResult<T>.Fail(path, Directory.Exists(fullPath) ? "is a directory, not a YAML file" : "no such file", missing: true);
            }

            if (info.Length > MaxFileBytes)
            {
                return YamlDocumentResult<T>.Fail(path, $"file is {info.Length} bytes; at most {MaxFileBytes} bytes are allowed");
            }

            bytes = File.ReadAllBytes(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return YamlDocumentResult<T>.Fail(path, $"cannot read the file: {e.Message}", missing: true);
        }

        return ParseDocument<T>(path, fullPath, bytes);
    }

    /// <summary>Parses already-read bytes; <paramref name="displayName"/> is used in messages.</summary>
    internal static YamlDocumentResult<T> ParseDocument<T>(string displayName, string fullPath, byte[] bytes)
        where T : class, new()
    {
        var errors = new List<ConfigError>();
        var marks = new Dictionary<string, Mark>(StringComparer.Ordinal);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return YamlDocumentResult<T>.Fail(displayName, "the file is not UTF-8 text");
        }

        var stream = new YamlStream();
        try
        {
            var (aliases, depth) = Prescan(text);
            if (aliases > MaxAliases)
            {
                return YamlDocumentResult<T>.Fail(displayName, $"the file uses {aliases} aliases (more than {MaxAliases}); refusing it");
            }

            if (depth > MaxDepth)
            {
                return YamlDocumentResult<T>.Fail(displayName, $"the file nests deeper than {MaxDepth} levels; refusing it");
            }

            stream.Load(new StringReader(text));
            var expanded = ExpandedSize(stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null, new Dictionary<YamlNode, long>(ReferenceEqualityComparer.Instance));
            if (expanded > ConfigBinder.MaxNodes)
            {
                // "Billion laughs": a few anchors that refer to each other multiply into an enormous document.
                return YamlDocumentResult<T>.Fail(displayName, $"aliases expand the file to {expanded} values (more than {ConfigBinder.MaxNodes}); refusing it");
            }
        }
        catch (YamlException e)
        {
            errors.Add(new ConfigError(displayName, (int)e.Start.Line, (int)e.Start.Column, "", $"not valid YAML: {Simplify(e)}"));
            return new YamlDocumentResult<T>(null, errors, marks, fullPath, hash);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner throws these on some malformed input instead of a YamlException
            // (found by ConfigFuzzTests); to the user it is the same thing: the file is not valid YAML.
            return YamlDocumentResult<T>.Fail(displayName, "not valid YAML: the parser could not read the file");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return YamlDocumentResult<T>.Fail(displayName, "the file is empty");
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            errors.Add(new ConfigError(displayName, (int)second.Line, (int)second.Column, "", "only one YAML document is allowed ('---' starts a second one)"));
        }

        var value = new ConfigBinder(displayName, errors, marks).Bind<T>(stream.Documents[0].RootNode, "");
        return new YamlDocumentResult<T>(value, errors, marks, fullPath, hash);
    }

    /// <summary>Counts aliases and the deepest nesting with the streaming parser, before anything recursive runs.</summary>
    private static (int Aliases, int Depth) Prescan(string text)
    {
        var parser = new Parser(new StringReader(text));
        int aliases = 0, depth = 0, maxDepth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case AnchorAlias:
                    aliases++;
                    break;
                case MappingStart or SequenceStart:
                    maxDepth = Math.Max(maxDepth, ++depth);
                    if (maxDepth > MaxDepth)
                    {
                        // Stop at once: the parser's cost grows with depth, and the answer is already known.
                        return (aliases, maxDepth);
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }

        return (aliases, maxDepth);
    }

    /// <summary>Number of values the document would have with every alias expanded (memoised, so linear).</summary>
    private static long ExpandedSize(YamlNode? node, Dictionary<YamlNode, long> memo)
    {
        if (node is null)
        {
            return 0;
        }

        if (memo.TryGetValue(node, out var known))
        {
            return known;
        }

        long size = 1;
        switch (node)
        {
            case YamlSequenceNode sequence:
                foreach (var child in sequence.Children)
                {
                    size = Math.Min(long.MaxValue / 2, size + ExpandedSize(child, memo));
                }

                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    size = Math.Min(long.MaxValue / 2, size + ExpandedSize(key, memo) + ExpandedSize(value, memo));
                }

                break;
        }

        memo[node] = size;
        return size;
    }

    private static string Simplify(YamlException e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: …) - (…): "; the location is already in our prefix.
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }

    internal static List<ConfigError> Sorted(IEnumerable<ConfigError> errors) =>
        errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ThenBy(e => e.Path, StringComparer.Ordinal).ToList();
}
