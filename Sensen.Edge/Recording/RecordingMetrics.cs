using System.Diagnostics.Metrics;

namespace Sensen.Edge.Recording;

/// <summary>
/// Meter <c>Sensen.Edge.Recording</c>: <c>sensen.edge.recording.clips</c> (tags <c>camera</c>, <c>outcome</c> =
/// <c>sealed</c> | <c>abandoned</c> | <c>failed</c>) and <c>sensen.edge.recording.clip_frames</c> (tag <c>camera</c>:
/// frames encoded into sealed clips) and <c>sensen.edge.recording.clip_frames_lost</c> (tag <c>camera</c>: frames of
/// clip windows not recorded because the camera's clip memory was full and the clip was cut). The per-camera totals
/// feed the status line.
/// </summary>
internal sealed class RecordingMetrics : IDisposable
{
    public const string MeterName = "Sensen.Edge.Recording";

    private readonly Meter _meter;
    private readonly Counter<long> _clips;
    private readonly Counter<long> _frames;
    private readonly Counter<long> _lost;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long[]> _totals = new(StringComparer.Ordinal);

    public RecordingMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _clips = _meter.CreateCounter<long>("sensen.edge.recording.clips", "{clip}", "Violation clips finished, tagged by camera and outcome (sealed, abandoned, failed)");
        _frames = _meter.CreateCounter<long>("sensen.edge.recording.clip_frames", "{frame}", "Frames encoded into sealed clips, tagged by camera");
        _lost = _meter.CreateCounter<long>("sensen.edge.recording.clip_frames_lost", "{frame}", "Frames of clip windows not recorded because the camera's clip memory was full (the clip was cut), tagged by camera");
    }

    public void Clip(string cameraId, ClipOutcome outcome, int frames)
    {
        var totals = Totals(cameraId);
        Interlocked.Increment(ref totals[(int)outcome]);
        _clips.Add(1, new KeyValuePair<string, object?>("camera", cameraId), new KeyValuePair<string, object?>("outcome", Name(outcome)));
        if (outcome == ClipOutcome.Sealed)
        {
            Interlocked.Add(ref totals[3], frames);
            _frames.Add(frames, new KeyValuePair<string, object?>("camera", cameraId));
        }
    }

    /// <summary>A clip was cut for want of clip memory: <paramref name="frames"/> of its window were not recorded.</summary>
    public void ClipFramesLost(string cameraId, long frames)
    {
        Interlocked.Add(ref Totals(cameraId)[4], frames);
        _lost.Add(frames, new KeyValuePair<string, object?>("camera", cameraId));
    }

    /// <summary>Frames lost to clip memory so far, for the status line.</summary>
    public long FramesLost(string cameraId) => Interlocked.Read(ref Totals(cameraId)[4]);

    /// <summary>Clips per outcome and frames sealed, for the status line.</summary>
    public (long Sealed, long Abandoned, long Failed, long Frames) For(string cameraId)
    {
        var t = Totals(cameraId);
        return (Interlocked.Read(ref t[0]), Interlocked.Read(ref t[1]), Interlocked.Read(ref t[2]), Interlocked.Read(ref t[3]));
    }

    public static string Name(ClipOutcome outcome) => outcome switch
    {
        ClipOutcome.Sealed => "sealed",
        ClipOutcome.Abandoned => "abandoned",
        _ => "failed",
    };

    public void Dispose() => _meter.Dispose();

    private long[] Totals(string cameraId) => _totals.GetOrAdd(cameraId, _ => new long[5]);
}
