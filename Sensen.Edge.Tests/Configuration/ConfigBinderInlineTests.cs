using System.ComponentModel.DataAnnotations;
using System.Text;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Tests.Configuration;

/// <summary>[Inline] composes two records into one YAML mapping, as cameras: does with ingest's and rules' halves.</summary>
public sealed class ConfigBinderInlineTests
{
    [Test]
    public void Bind_InlineRecord_KeysBindBesideTheParentsOwn()
    {
        var result = Parse<Outer>("name: a\nlimit: 3\ntags: [x, y]\n");

        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        Assert.That((result.Value!.Name, result.Value.Inner.Limit, result.Value.Inner.Tags), Is.EqualTo(("a", 3, (IReadOnlyList<string>)["x", "y"])));
        Assert.That(result.Marks["limit"].Line, Is.EqualTo(2), "an inline key is located where it is written, under its own name");
    }

    [Test]
    public void Bind_InlineRecordLeftOut_EachParentGetsItsOwnDefault()
    {
        var first = Parse<Outer>("name: a\nlimit: 9\n").Value!;
        var second = Parse<Outer>("name: b\n").Value!;

        Assert.That((first.Inner.Limit, second.Inner.Limit), Is.EqualTo((9, 1)));
    }

    [Test]
    public void Bind_TypoOfAnInlineKey_SuggestsIt()
    {
        var errors = Parse<Outer>("name: a\nlimmit: 3\n").Errors.Select(e => e.ToString());

        Assert.That(errors, Is.EqualTo(new[] { "t.yaml:2:1 limmit: unknown key 'limmit' (did you mean 'limit'?)" }));
    }

    [Test]
    public void Bind_RequiredInlineKeyMissing_ReportedAtTheMapping()
    {
        var errors = Parse<Strict>("label: a\n").Errors.Select(e => e.ToString());

        Assert.That(errors, Is.EqualTo(new[] { "t.yaml:1:1 limit: required key is missing" }));
    }

    [Test]
    public void Bind_KeyDeclaredByTwoRecordsOfOneMapping_IsAProgrammingError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ConfigBinder.KeysOf(typeof(Clash)));

        Assert.That(e!.Message, Is.EqualTo("options key 'name' is declared by both Clash.Name and Named.Name"));
    }

    private static YamlDocumentResult<T> Parse<T>(string yaml)
        where T : class, new() => ConfigLoader.ParseDocument<T>("t.yaml", "/tmp/t.yaml", Encoding.UTF8.GetBytes(yaml));

    private sealed record Outer
    {
        public string Name { get; init; } = "";

        [Inline]
        public Inner Inner { get; init; } = new();
    }

    private sealed record Inner
    {
        public int Limit { get; init; } = 1;

        public IReadOnlyList<string> Tags { get; init; } = [];
    }

    private sealed record Strict
    {
        public string Label { get; init; } = "";

        [Inline]
        public Needed Needed { get; init; } = new();
    }

    private sealed record Needed
    {
        [Required]
        public int? Limit { get; init; }
    }

    private sealed record Clash
    {
        public string Name { get; init; } = "";

        [Inline]
        public Named Named { get; init; } = new();
    }

    private sealed record Named
    {
        public string Name { get; init; } = "";
    }
}
