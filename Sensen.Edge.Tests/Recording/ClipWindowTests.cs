using Sensen.Edge.Recording;

namespace Sensen.Edge.Tests.Recording;

/// <summary>Clip windows: pre-roll before the offence, post-roll after the decision, the maximum length, merging.</summary>
internal sealed class ClipWindowTests
{
    private static readonly DateTimeOffset T0 = RecordingRig.Epoch;
    private static readonly RecordingOptions Options = new() { PreRollSeconds = 5, PostRollSeconds = 5, MaxClipSeconds = 30 };

    private static DateTimeOffset At(double seconds) => T0 + TimeSpan.FromSeconds(seconds);

    [Test]
    public void For_ShortOffence_PreRollBeforeItsStartPostRollAfterTheDecision()
    {
        var window = ClipWindow.For(At(10), At(13), Options);

        Assert.That((window.Start, window.End, window.Limit), Is.EqualTo((At(5), At(18), At(35))));
    }

    [Test]
    public void For_OffenceLongerThanTheMaximum_KeepsTheDecisionAndItsPostRoll()
    {
        var window = ClipWindow.For(At(0), At(60), Options);

        Assert.That((window.Start, window.End), Is.EqualTo((At(35), At(65))));
        Assert.That(window.End - window.Start, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void TryMerge_EventStartingBeforeTheClipEnds_ExtendsToItsPostRoll()
    {
        var window = ClipWindow.For(At(10), At(13), Options);

        Assert.That(window.TryMerge(At(20), At(22), Options, out var merged), Is.True, "own window starts at 15, before the clip's end at 18");
        Assert.That((merged.Start, merged.End, merged.Limit), Is.EqualTo((At(5), At(27), At(35))));
    }

    [Test]
    public void TryMerge_EventInsideTheClip_KeepsTheLaterEnd()
    {
        var window = ClipWindow.For(At(10), At(13), Options);

        Assert.That(window.TryMerge(At(11), At(12), Options, out var merged), Is.True);
        Assert.That(merged.End, Is.EqualTo(At(18)));
    }

    [Test]
    public void TryMerge_MergedEndBeyondTheLimit_CappedAtTheLimit()
    {
        var window = ClipWindow.For(At(10), At(13), Options);

        Assert.That(window.TryMerge(At(16), At(33), Options, out var merged), Is.True);
        Assert.That(merged.End, Is.EqualTo(At(35)), "post-roll would end at 38; the clip may not pass start + 30 s");
    }

    [Test]
    public void TryMerge_DecisionAfterTheLimit_NotMerged()
    {
        var window = ClipWindow.For(At(10), At(13), Options);

        Assert.That(window.TryMerge(At(17), At(36), Options, out var unchanged), Is.False);
        Assert.That(unchanged, Is.EqualTo(window));
    }

    [Test]
    public void TryMerge_EventAfterTheClipEnds_NotMerged()
    {
        var window = ClipWindow.For(At(10), At(13), Options);

        Assert.That(window.TryMerge(At(24), At(25), Options, out _), Is.False, "own window starts at 19, after the clip's end at 18");
    }
}
