using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Privacy;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Recording;

/// <summary>
/// One slot of the pre-roll ring: a retained reference on a pooled frame and what the live path knew about it.
/// The arrays are the slot's own and reused from frame to frame, so filling the ring allocates nothing once
/// they have grown to the scene's detection and track counts.
/// </summary>
internal sealed class RingEntry
{
    private DetectedObject[] _detections = new DetectedObject[16];
    private TrackedBox[] _tracks = new TrackedBox[16];
    private int _detectionCount;
    private int _trackCount;

    public FrameHandle Frame { get; private set; }

    public bool Occupied { get; private set; }

    public bool Analysed { get; private set; }

    public FrameTime Time { get; private set; }

    public long Sequence { get; private set; }

    public ReadOnlySpan<TrackedBox> Tracks => _tracks.AsSpan(0, _trackCount);

    internal void Fill(FrameHandle retained, long sequence, bool analysed, FrameTime time, ReadOnlySpan<DetectedObject> detections, IReadOnlyList<Track> tracks)
    {
        Frame = retained;
        Sequence = sequence;
        Analysed = analysed;
        Time = time;
        Occupied = true;
        if (_detections.Length < detections.Length)
        {
            _detections = new DetectedObject[detections.Length * 2];
        }

        detections.CopyTo(_detections);
        _detectionCount = detections.Length;
        if (_tracks.Length < tracks.Count)
        {
            _tracks = new TrackedBox[tracks.Count * 2];
        }

        var n = 0;
        for (var i = 0; i < tracks.Count; i++)
        {
            var t = tracks[i];
            if (t.State != TrackState.Removed)
            {
                _tracks[n++] = new TrackedBox(t.Id, t.Class, t.Box, t.Observed);
            }
        }

        _trackCount = n;
    }

    /// <summary>
    /// Copies the frame's pixels and description out of the camera's pool into a buffer of
    /// <paramref name="clipMemory"/> (the camera's clip memory), so that no clip ever holds a pool buffer. False,
    /// and nothing copied, when the clip memory is full. The caller owns <paramref name="copy"/>'s reference.
    /// </summary>
    public bool TryCopyTo(FramePool clipMemory, out FrameHandle copy)
    {
        if (!clipMemory.TryRent(out var target))
        {
            copy = default;
            return false;
        }

        var source = Frame.Frame;
        target.Describe(source.CameraId, source.Width, source.Height, source.Format, source.Sequence, source.Pts, source.CaptureTime);
        source.Pixels.CopyTo(target.Pixels);
        copy = target.Handle();
        return true;
    }

    /// <summary>A clip's own frame: a reference of its own on <paramref name="copy"/> (from <see cref="TryCopyTo"/>), and copies of the detections and tracks (allocates: only while a clip is open).</summary>
    public ClipFrame ToClipFrame(FrameHandle copy) =>
        new(copy.Retain(), Analysed, Time, _detections.AsSpan(0, _detectionCount).ToArray(), _tracks.AsSpan(0, _trackCount).ToArray());

    /// <summary>Gives back the ring's reference.</summary>
    internal void Release()
    {
        if (Occupied)
        {
            Occupied = false;
            Frame.Release();
            Frame = default;
        }
    }
}
