using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Privacy;

/// <summary>
/// One raw frame on its way into a clip, with what the live path knew about it. Raw pixels: nothing may
/// encode or store it. Only an <see cref="IClipAnonymisation"/> turns it into an <see cref="AnonymisedFrame"/>,
/// the one type the encoder accepts. The clip frame holds its own reference on its frame (Recording's copy in
/// the camera's clip memory, never a live pool buffer); whoever ends its journey (the anonymisation, once it
/// has produced the frame's anonymised copy or discarded it) calls <see cref="Release"/> exactly once.
/// </summary>
internal sealed class ClipFrame
{
    private FrameHandle _frame;
    private bool _released;

    /// <param name="frame">A reference of the clip frame's own (<c>AnalysedFrame.RetainFrame()</c>); released by <see cref="Release"/>.</param>
    /// <param name="analysed">Whether the live path analysed the frame. A frame it did not analyse is still anonymised by the clip path, or masked whole.</param>
    /// <param name="time">The frame's times.</param>
    /// <param name="detections">The live path's detections (a copy: the pooled list is gone by now).</param>
    /// <param name="tracks">Every track the tracker held at this frame.</param>
    public ClipFrame(FrameHandle frame, bool analysed, FrameTime time, DetectedObject[] detections, TrackedBox[] tracks)
    {
        _frame = frame;
        var pixels = frame.Frame;
        Sequence = pixels.Sequence;
        Width = pixels.Width;
        Height = pixels.Height;
        Analysed = analysed;
        Time = time;
        Detections = detections;
        Tracks = tracks;
    }

    /// <summary>The raw pixels (bgr24). Throws <see cref="StaleFrameException"/> once released.</summary>
    public Frame Frame => _released ? throw new StaleFrameException($"clip frame {Sequence} was used after its release") : _frame.Frame;

    public long Sequence { get; }

    public int Width { get; }

    public int Height { get; }

    public bool Analysed { get; }

    public FrameTime Time { get; }

    public IReadOnlyList<DetectedObject> Detections { get; }

    public IReadOnlyList<TrackedBox> Tracks { get; }

    /// <summary>Gives back the clip's reference on the raw frame. Exactly once.</summary>
    public void Release()
    {
        if (_released)
        {
            throw new StaleFrameException($"clip frame {Sequence} was released twice");
        }

        _released = true;
        _frame.Release();
        _frame = default;
    }
}
