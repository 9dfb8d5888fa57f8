using System.Text.RegularExpressions;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Hosting;

/// <summary>
/// Hosting wires, nothing imports it (ARCHITECTURE.md: dependencies point one way). A source scan rather
/// than reflection: constants such as exit codes are inlined by the compiler and leave no trace in the
/// assembly, and method bodies are not in member signatures, so only the source shows every use.
/// </summary>
public sealed partial class HostingDependencyTests
{
    [Test]
    public void Sources_OutsideHostingAndProgram_NeverReferenceHosting()
    {
        var project = Path.Combine(RepoPaths.Root, "Sensen.Edge");
        var violations = Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(project, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("Hosting/", StringComparison.Ordinal) && f != "Program.cs"
                && !f.StartsWith("obj/", StringComparison.Ordinal) && !f.StartsWith("bin/", StringComparison.Ordinal))
            .SelectMany(f => Violations(f, File.ReadAllText(Path.Combine(project, f))))
            .ToList();

        Assert.That(violations, Is.Empty, "types outside Sensen.Edge.Hosting must not depend on it; move what they need (as Cli/ExitCodes was)");
    }

    [TestCase("using Sensen.Edge.Hosting;\n")]
    [TestCase("using static Sensen.Edge.Hosting.EdgeHost;\n")]
    [TestCase("using Host = Sensen.Edge.Hosting.EdgeHost;\n")]
    [TestCase("namespace Sensen.Edge.Ingest;\nclass A { int X => global::Sensen.Edge.Hosting.Codes.Ok; }\n")]
    [TestCase("namespace Sensen.Edge.Ingest;\nclass A { int X => Hosting.Codes.Ok; }\n")]
    [TestCase("namespace Sensen.Edge.Ingest;\n/// <see cref=\"Hosting.EdgeHost\"/>\nclass A;\n")]
    [TestCase("namespace Sensen.Edge { namespace Hosting { class A; } }\n")]
    public void Violations_EachWayOfNamingHosting_IsFound(string source) =>
        Assert.That(Violations("Ingest/A.cs", source).ToList(), Has.Count.EqualTo(1));

    [TestCase("using Microsoft.Extensions.Hosting;\nclass A { IHost? H; Microsoft.Extensions.Hosting.IHost? G; }\n")]
    [TestCase("class A { string S = \"self-hosting\"; void Hosting() { } }\n")]
    public void Violations_OtherHostingNamespaces_AreNotFound(string source) =>
        Assert.That(Violations("Ingest/A.cs", source), Is.Empty);

    /// <summary>Each line of <paramref name="source"/> that names the Sensen.Edge.Hosting namespace, as <c>FILE:LINE: text</c>.</summary>
    private static IEnumerable<string> Violations(string file, string source) =>
        source.Split('\n')
            .Select((text, index) => (Text: text.Trim(), Line: index + 1))
            .Where(l => HostingReference().IsMatch(l.Text))
            .Select(l => $"{file}:{l.Line}: {l.Text}");

    // Fully qualified (Sensen.Edge.Hosting, with or without global::), or relative from inside Sensen.Edge
    // (Hosting.EdgeHost, namespace Hosting), but not Microsoft.Extensions.Hosting.
    [GeneratedRegex(@"\bSensen\.Edge\.Hosting\b|(?<![\w.])Hosting\.[A-Z]|\bnamespace\s+Hosting\b")]
    private static partial Regex HostingReference();
}
