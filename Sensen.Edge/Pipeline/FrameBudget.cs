using System.Globalization;
using Sensen.Edge.Frames;

namespace Sensen.Edge.Pipeline;

/// <summary>
/// How many frame buffers one camera's pool may hold, and what they weigh: every frame the pipeline can
/// hold at once (the edges' capacities plus one per stage) and the pre-roll ring
/// (<c>recording.pre_roll_seconds</c> × analysis fps, rounded up). The pool is made with exactly this
/// capacity, and the configuration check compares <see cref="Bytes"/> with the per-camera budget, so
/// a file that validates cannot make a unit run out of memory in its frame buffers.
/// </summary>
internal readonly record struct FrameBudget(int InFlight, int PreRoll, int Width, int Height, PixelFormat Format)
{
    public int Frames => InFlight + PreRoll;

    public int FrameBytes => PixelFormats.FrameBytes(Format, Width, Height);

    public long Bytes => (long)Frames * FrameBytes;

    /// <summary>Mebibytes, rounded up (what the budget is written in).</summary>
    public long Megabytes => (Bytes + (1L << 20) - 1) >> 20;

    public static FrameBudget For(CameraFrames camera, double preRollSeconds, PipelineTuning tuning)
    {
        var inFlight = tuning.DetectionQueueFrames + tuning.TrackingQueueFrames + tuning.FramesHeldByStages;
        var preRoll = (int)Math.Ceiling(preRollSeconds * camera.Fps);
        return new FrameBudget(inFlight, preRoll, camera.Width, camera.Height, PixelFormat.Bgr24);
    }

    /// <summary>For messages: <c>62 frames of 1280x720 bgr24 (12 in flight + 50 pre-roll)</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Frames} frames of {Width}x{Height} {PixelFormats.FfmpegName(Format)} ({InFlight} in flight + {PreRoll} pre-roll)");
}
