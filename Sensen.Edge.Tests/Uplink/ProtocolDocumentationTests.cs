using System.Text.RegularExpressions;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Uplink;

namespace Sensen.Edge.Tests.Uplink;

/// <summary>docs/PROTOCOL.md's MQTT section and <see cref="UplinkProtocol"/> name the same topics, properties and content types, both ways.</summary>
public sealed partial class ProtocolDocumentationTests
{
    private static string Transport()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "PROTOCOL.md"));
        var start = text.IndexOf("## Transport (MQTT 5)", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThan(0), "docs/PROTOCOL.md has a Transport section");
        return text[start..];
    }

    private static IEnumerable<string> TableColumn(string section, string heading)
    {
        var start = section.IndexOf(heading, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), heading);
        var lines = section[start..].Split('\n').Skip(1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2);
        return lines.Select(l => Code().Match(l).Groups[1].Value);
    }

    [Test]
    public void Topics_InDocAndCode_AreTheSame()
    {
        var documented = TableColumn(Transport(), "### Topics").ToList();

        Assert.That(documented, Is.EquivalentTo(new[] { UplinkProtocol.ManifestTopic, UplinkProtocol.ChunkTopic, UplinkProtocol.AckTopic }
            .Select(level => UplinkProtocol.DeviceTopic("PREFIX", "DEVICE", level))));
        Assert.That(Transport(), Does.Contain($"`{UplinkProtocol.SharedEvidenceFilter("GROUP", "PREFIX")}`"), "the receiver's shared subscription");
    }

    [Test]
    public void UserProperties_InDocAndCode_AreTheSame()
    {
        var documented = TableColumn(Transport(), "### User properties").ToList();

        Assert.That(documented, Is.EquivalentTo(UplinkProtocol.UserProperties));
        Assert.That(Transport(), Does.Contain($"`{UplinkProtocol.Format}`"));
    }

    [Test]
    public void ContentTypes_InDocAndCode_AreTheSame()
    {
        var section = Transport();
        var start = section.IndexOf("### Topics", StringComparison.Ordinal);
        var rows = section[start..].Split('\n').SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2);
        var documented = rows.Select(r => Code().Matches(r).Last().Groups[1].Value).ToList();

        Assert.That(documented, Is.EqualTo(new[] { UplinkProtocol.ManifestContentType, UplinkProtocol.ChunkContentType, UplinkProtocol.AckContentType }));
    }

    [Test]
    public void Limits_InDoc_MatchTheCode()
    {
        var section = Transport();

        Assert.That(section, Does.Contain($"at most {UplinkStage.MaxAckBytes / 1024} KiB"));
        Assert.That(section, Does.Contain($"minus {UplinkProtocol.ChunkOverheadBytes:N0} bytes".Replace(",", " ", StringComparison.Ordinal)));
        Assert.That(section, Does.Contain($"default {new UplinkOptions().ChunkBytes:N0}".Replace(",", " ", StringComparison.Ordinal)));
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();
}
