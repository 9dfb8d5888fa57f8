using Sensen.Edge.Frames;
using Sensen.Edge.Pipeline;

namespace Sensen.Edge.Recording;

/// <summary>
/// Every camera's <see cref="CameraRecorder"/>, made once from the pipeline's edges: each ring is the size its
/// camera's pool budget counted for it (<c>FrameBudget.PreRoll</c>), and each has a clip memory of its own. The tracking stage hands frames to
/// <see cref="For"/>; the recording stage attaches the clip writers before the first frame flows.
/// </summary>
internal sealed class Recorders : IDisposable
{
    private readonly Dictionary<string, CameraRecorder> _cameras = new(StringComparer.Ordinal);
    private Action<ClipRecording>? _opened;

    /// <param name="lookAheadFrames">The clip path's look-ahead (<c>privacy.look_ahead_frames</c>): frames each clip is handed after its window.</param>
    public Recorders(PipelineEdges edges, RecordingOptions options, Func<string, StreamCounters> counters, int lookAheadFrames = 0)
    {
        foreach (var camera in edges.Cameras)
        {
            var id = camera.CameraId;
            var clipMemory = new FramePool(camera.Budget.FrameBytes, ClipMemoryFrames(options, camera.Budget.FrameBytes));
            _cameras[id] = new CameraRecorder(id, camera.Budget.PreRoll, options, clipMemory, () => counters(id), Opened, lookAheadFrames);
        }
    }

    public IReadOnlyCollection<CameraRecorder> All => _cameras.Values;

    /// <summary>
    /// Frames of <paramref name="frameBytes"/> that <c>recording.clip_memory_megabytes_per_camera</c> holds (at
    /// least one; the configuration check asks for the pre-roll plus the look-ahead plus one). Buffers are made
    /// when a clip first needs them and reused after.
    /// </summary>
    public static int ClipMemoryFrames(RecordingOptions options, int frameBytes) =>
        (int)Math.Clamp(((long)options.ClipMemoryMegabytesPerCamera << 20) / frameBytes, 1, int.MaxValue);

    public CameraRecorder For(string cameraId) => _cameras[cameraId];

    /// <summary>Who records a clip once it opens (the recording stage). A clip that opens with nobody attached is closed at once and its frames released.</summary>
    public void Attach(Action<ClipRecording> opened) => _opened = opened;

    public void CloseAll()
    {
        foreach (var recorder in _cameras.Values)
        {
            recorder.CloseAll();
        }
    }

    public void Dispose()
    {
        foreach (var recorder in _cameras.Values)
        {
            recorder.Dispose();
        }
    }

    private void Opened(ClipRecording clip)
    {
        if (_opened is { } opened)
        {
            opened(clip);
            return;
        }

        clip.Close(default, postRollCut: true);
        _ = DrainAsync(clip);
    }

    private static async Task DrainAsync(ClipRecording clip)
    {
        await foreach (var input in clip.Inputs.ReadAllAsync().ConfigureAwait(false))
        {
            input.Frame?.Release();
        }
    }
}
