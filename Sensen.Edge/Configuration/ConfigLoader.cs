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

    public static ConfigLoadResult Load(string path)
    {
        string fullPath;
        byte[] bytes;
        try
        {
            fullPath = Path.GetFullPath(path);
            var info = new FileInfo(fullPath);
            if (!info.Exists)
            {
                return Fail(path, Directory.Exists(fullPath) ? "is a directory, not a configuration file" : "no such file", missing: true);
            }

            if (info.Length > MaxFileBytes)
            {
                return Fail(path, $"file is {info.Length} bytes; a configuration may be at most {MaxFileBytes} bytes");
            }

            bytes = File.ReadAllBytes(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Fail(path, $"cannot read the file: {e.Message}", missing: true);
        }

        return Parse(path, fullPath, bytes);
    }

    /// <summary>Parses already-read bytes; <paramref name="displayName"/> is used in messages.</summary>
    internal static ConfigLoadResult Parse(string displayName, string fullPath, byte[] bytes)
    {
        var errors = new List<ConfigError>();
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Fail(displayName, "the file is not UTF-8 text");
        }

        var stream = new YamlStream();
        try
        {
            var aliases = CountAliases(text);
            if (aliases > MaxAliases)
            {
                return Fail(displayName, $"the file uses {aliases} aliases (more than {MaxAliases}); refusing it");
            }

            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            errors.Add(new ConfigError(displayName, (int)e.Start.Line, (int)e.Start.Column, "", $"not valid YAML: {Simplify(e)}"));
            return new ConfigLoadResult(null, errors);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return Fail(displayName, "the file is empty");
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            errors.Add(new ConfigError(displayName, (int)second.Line, (int)second.Column, "", "only one YAML document is allowed ('---' starts a second one)"));
        }

        var marks = new Dictionary<string, Mark>(StringComparer.Ordinal);
        var binder = new ConfigBinder(displayName, errors, marks);
        var options = binder.Bind<EdgeOptions>(stream.Documents[0].RootNode, "");
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (options is null)
        {
            return new ConfigLoadResult(null, Sorted(errors));
        }

        var config = new LoadedConfig(options, fullPath, hash);
        if (errors.Count == 0)
        {
            // Semantic checks assume every value bound; on type errors they would only repeat them.
            new ConfigValidator(displayName, config, marks, errors).Validate();
        }

        return new ConfigLoadResult(errors.Count == 0 ? config : null, Sorted(errors));
    }

    private static int CountAliases(string text)
    {
        var parser = new Parser(new StringReader(text));
        var count = 0;
        while (parser.MoveNext())
        {
            if (parser.Current is AnchorAlias)
            {
                count++;
            }
        }

        return count;
    }

    private static string Simplify(YamlException e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: …) - (…): "; the location is already in our prefix.
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }

    private static List<ConfigError> Sorted(List<ConfigError> errors) =>
        errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ThenBy(e => e.Path, StringComparer.Ordinal).ToList();

    private static ConfigLoadResult Fail(string file, string message, bool missing = false) =>
        new(null, [new ConfigError(file, 0, 0, "", message)], missing);
}
