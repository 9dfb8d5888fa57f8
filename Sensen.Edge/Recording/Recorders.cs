using Sensen.Edge.Pipeline;

namespace Sensen.Edge.Recording;

/// <summary>
/// Every camera's <see cref="CameraRecorder"/>, made once from the pipeline's edges: each ring is the size its
/// camera's pool budget counted for it (<c>FrameBudget.PreRoll</c>). The tracking stage hands frames to
/// <see cref="For"/>; the recording stage attaches the clip writers before the first frame flows.
/// </summary>
internal sealed class Recorders : IDisposable
{
    private readonly Dictionary<string, CameraRecorder> _cameras = new(StringComparer.Ordinal);
    private Action<ClipRecording>? _opened;

    public Recorders(PipelineEdges edges, RecordingOptions options, Func<string, StreamCounters> counters)
    {
        foreach (var camera in edges.Cameras)
        {
            var id = camera.CameraId;
            _cameras[id] = new CameraRecorder(id, camera.Budget.PreRoll, options, camera.Budget.Frames, () => counters(id), Opened);
        }
    }

    public IReadOnlyCollection<CameraRecorder> All => _cameras.Values;

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
