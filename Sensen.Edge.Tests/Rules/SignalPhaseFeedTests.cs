using System.Globalization;
using Sensen.Edge.Rules;

namespace Sensen.Edge.Tests.Rules;

public sealed class SignalPhaseFeedTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-30T08:00:00Z", CultureInfo.InvariantCulture);

    [Test]
    public void Publish_RepeatedPhase_KeepsItsStart()
    {
        var feed = new SignalPhaseFeed("t");
        Assert.That(feed.Publish("red", Start), Is.True);
        Assert.That(feed.Publish(" RED ", Start.AddSeconds(1)), Is.True);
        Assert.That(feed.Read(Start.AddSeconds(2)), Is.EqualTo(new SignalReading(SignalPhase.Red, Start)));
    }

    [TestCase("yellow", "Amber")]
    [TestCase("green", "Green")]
    public void Publish_Names_Parse(string payload, string expected)
    {
        var feed = new SignalPhaseFeed("t");
        feed.Publish(payload, Start);
        Assert.That(feed.Read(Start).Phase.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void Publish_Garbage_RefusedAndPhaseUnchanged()
    {
        var feed = new SignalPhaseFeed("t");
        feed.Publish("green", Start);
        Assert.That(feed.Publish("purple", Start), Is.False);
        Assert.That(feed.Read(Start).Phase, Is.EqualTo(SignalPhase.Green));
    }

    [Test]
    public void Read_SilentLongerThanStaleAfter_Unknown()
    {
        var feed = new SignalPhaseFeed("t");
        feed.Publish("red", Start);
        Assert.That(feed.Read(Start.AddSeconds(5)).Phase, Is.EqualTo(SignalPhase.Red));
        Assert.That(feed.Read(Start.AddSeconds(5.1)).Phase, Is.EqualTo(SignalPhase.Unknown));
    }

    [Test]
    public void Publish_UnknownTopic_False()
    {
        var feeds = new SignalFeeds();
        feeds.For("a");
        Assert.That(feeds.Publish("b", "red", Start), Is.False);
        Assert.That(feeds.Publish("a", "red", Start), Is.True);
    }
}
