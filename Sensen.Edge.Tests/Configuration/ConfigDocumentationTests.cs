using System.Text.RegularExpressions;
using Sensen.Edge.Configuration;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Configuration;

/// <summary>
/// docs/CONFIG.md stays true: every key the binder accepts is documented in the table of its own section
/// (<c>cameras[].zones[].polygon</c> in <c>### cameras[].zones</c>, not merely somewhere), and the tables
/// document no key the binder would reject.
/// </summary>
public sealed partial class ConfigDocumentationTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "CONFIG.md"));

    [Test]
    public void ConfigReference_EveryKey_DocumentedAtItsFullPath()
    {
        Assert.That(Undocumented(Keys(typeof(EdgeOptions), ""), Doc), Is.Empty, "keys missing from docs/CONFIG.md (section.key)");
    }

    [Test]
    public void ConfigReference_EveryDocumentedKey_IsAcceptedByTheBinder()
    {
        var keys = Keys(typeof(EdgeOptions), "").Select(k => DocForm(k.Path)).ToHashSet(StringComparer.Ordinal);

        Assert.That(Documented(Doc).Where(d => !keys.Contains(d)), Is.Empty, "docs/CONFIG.md documents keys that do not exist");
    }

    [Test]
    public void Undocumented_KeyInAnotherSectionsTable_IsReported()
    {
        // The check this class replaced matched "| `polygon` |" anywhere in the file, so this doc passed it.
        const string doc = "## cameras\n\n| `zones` | list |\n| `lines` | list |\n\n### cameras[].zones\n\n| `id` | id |\n\n### cameras[].lines\n\n| `id` | id |\n| `polygon` | list |\n";
        (string, bool)[] keys = [("cameras", true), ("cameras[].zones", true), ("cameras[].zones[].id", false), ("cameras[].zones[].polygon", false)];

        Assert.That(Undocumented(keys, doc), Is.EqualTo(new[] { "cameras[].zones[].polygon" }));
    }

    /// <summary>Every key path, a list's items written <c>[]</c>, with whether it holds a mapping (which then needs its own section).</summary>
    private static IEnumerable<(string Path, bool HasSection)> Keys(Type type, string prefix)
    {
        foreach (var (key, slot) in ConfigBinder.KeysOf(type))
        {
            var path = prefix + key;
            var propertyType = Nullable.GetUnderlyingType(slot.Property.PropertyType) ?? slot.Property.PropertyType;
            var list = propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(IReadOnlyList<>);
            if (list)
            {
                propertyType = propertyType.GetGenericArguments()[0];
            }

            var record = propertyType.IsClass && propertyType != typeof(string);
            yield return (path, record);
            if (record)
            {
                foreach (var child in Keys(propertyType, path + (list ? "[]." : ".")))
                {
                    yield return child;
                }
            }
        }
    }

    private static List<string> Undocumented(IEnumerable<(string Path, bool HasSection)> keys, string doc)
    {
        var documented = Documented(doc).ToHashSet(StringComparer.Ordinal);
        var sections = SectionPattern().Matches(doc).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (path, hasSection) in keys)
        {
            // Top-level keys are sections (## device); every other key is a row of its parent's section.
            var inTable = !path.Contains('.', StringComparison.Ordinal) || documented.Contains(DocForm(path));
            if (!inTable || (hasSection && !sections.Contains(path)))
            {
                missing.Add(path);
            }
        }

        return missing;
    }

    /// <summary>
    /// A key path as the doc writes it: the section of a list's items is headed by the list's own path
    /// (<c>### cameras[].zones</c> holds <c>cameras[].zones[].polygon</c>), so the last <c>[]</c> goes.
    /// </summary>
    private static string DocForm(string path)
    {
        var cut = path.LastIndexOf('.');
        return cut > 2 && path[(cut - 2)..cut] == "[]" ? path[..(cut - 2)] + path[cut..] : path;
    }

    /// <summary>Each table row's key, prefixed by the path of the section it sits in.</summary>
    private static IEnumerable<string> Documented(string doc)
    {
        string? section = null;
        foreach (var line in doc.Split('\n'))
        {
            if (line.StartsWith('#'))
            {
                var heading = SectionPattern().Match(line + "\n");
                section = heading.Success ? heading.Groups[1].Value : null;
            }
            else if (section is not null && RowPattern().Match(line) is { Success: true } row)
            {
                yield return $"{section}.{row.Groups[1].Value}";
            }
        }
    }

    /// <summary>Headings that are key paths: <c>## device</c>, <c>### cameras[].rules[].signal</c> (not "## Rules of the file").</summary>
    [GeneratedRegex(@"^#{2,3} ([a-z_0-9]+(?:\[\])?(?:\.[a-z_0-9]+(?:\[\])?)*)\n", RegexOptions.Multiline)]
    private static partial Regex SectionPattern();

    [GeneratedRegex(@"^\| `([a-z_0-9]+)` \|")]
    private static partial Regex RowPattern();
}
