using Sensen.Edge.Demo.Report;
using Sensen.Edge.Pipeline;

namespace Sensen.Edge.Demo;

/// <summary>
/// The demo's <see cref="IFrameObserver"/>: per frame, what the live path detected and what the clip path obscured,
/// for the report's chart (<see cref="DemoFrameStat"/>). A frame that belongs to two clips keeps the larger counts.
/// </summary>
internal sealed class DemoFrames : IFrameObserver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Camera, long Sequence), (TimeSpan Pts, bool Analysed, int Detections)> _live = [];
    private readonly Dictionary<(string Camera, long Sequence), (int Faces, int Plates, bool MaskedWhole)> _clips = [];
    private TimeSpan _lastPts;

    public void LiveFrame(string cameraId, long sequence, TimeSpan pts, bool analysed, int detections)
    {
        lock (_gate)
        {
            _live[(cameraId, sequence)] = (pts, analysed, detections);
            _lastPts = pts > _lastPts ? pts : _lastPts;
        }
    }

    public void ClipFrame(string cameraId, long sequence, int facesObscured, int platesObscured, bool maskedWhole)
    {
        lock (_gate)
        {
            var key = (cameraId, sequence);
            _clips[key] = _clips.TryGetValue(key, out var seen)
                ? (Math.Max(seen.Faces, facesObscured), Math.Max(seen.Plates, platesObscured), seen.MaskedWhole || maskedWhole)
                : (facesObscured, platesObscured, maskedWhole);
        }
    }

    /// <summary>The latest stream time that reached the end of the live path (the frame's pts).</summary>
    public TimeSpan LastPts
    {
        get
        {
            lock (_gate)
            {
                return _lastPts;
            }
        }
    }

    /// <summary>Frames that reached the end of the live path, analysed or not.</summary>
    public int LiveFrames
    {
        get
        {
            lock (_gate)
            {
                return _live.Count;
            }
        }
    }

    /// <summary>Every frame seen so far, per camera in sequence order; seconds count from the camera's first frame.</summary>
    public IReadOnlyList<DemoFrameStat> Snapshot()
    {
        lock (_gate)
        {
            var stats = new List<DemoFrameStat>(_live.Count);
            foreach (var camera in _live.GroupBy(f => f.Key.Camera).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var first = camera.Min(f => f.Value.Pts);
                foreach (var (key, live) in camera.OrderBy(f => f.Key.Sequence))
                {
                    var inClip = _clips.TryGetValue(key, out var clip);
                    stats.Add(new DemoFrameStat(key.Camera, key.Sequence, Math.Round((live.Pts - first).TotalSeconds, 3), live.Detections,
                        clip.Faces, clip.Plates, inClip, inClip && clip.MaskedWhole));
                }
            }

            return stats;
        }
    }
}
