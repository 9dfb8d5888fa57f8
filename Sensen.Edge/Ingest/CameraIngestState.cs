using System.Collections.Concurrent;
using Sensen.Edge.Pipeline;

namespace Sensen.Edge.Ingest;

/// <summary>
/// One camera's live counters and state: updated by its supervisor, read by the status line, the tests and the probe. Every count is also added to the
/// matching <see cref="IngestMetrics"/> instrument with the camera tag.
/// </summary>
internal sealed class CameraIngestState
{
    private readonly IngestMetrics _metrics;
    private readonly KeyValuePair<string, object?> _tag;
    private readonly ConcurrentDictionary<DiagnosticKind, long> _errors = new();
    private long _frames;
    private long _reconnects;
    private long _stalls;
    private long _supervisorCrashes;
    private int _state;

    public CameraIngestState(string cameraId, IngestMetrics metrics)
    {
        CameraId = cameraId;
        _metrics = metrics;
        _tag = new("camera", cameraId);
    }

    public string CameraId { get; }

    public CameraState State => (CameraState)Volatile.Read(ref _state);

    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Frames dropped before detection, counted on the camera's ingest → detection edge.</summary>
    public long Dropped => Drops?.Dropped ?? 0;

    /// <summary>The drop counter of the camera's ingest → detection edge, once the stage attached it.</summary>
    public DropCounter? Drops { get; set; }

    public long SupervisorCrashes => Interlocked.Read(ref _supervisorCrashes);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public long Stalls => Interlocked.Read(ref _stalls);

    /// <summary>The stream as last reported (codec, size, fps).</summary>
    public StreamInfo? Stream { get; set; }

    public DecoderChoice? Decoder { get; set; }

    /// <summary>Why the last run ended, when it failed.</summary>
    public DiagnosticKind? LastFailure { get; set; }

    public long Errors(DiagnosticKind kind) => _errors.TryGetValue(kind, out var n) ? n : 0;

    public IReadOnlyDictionary<DiagnosticKind, long> ErrorCounts() => new Dictionary<DiagnosticKind, long>(_errors);

    public void SetState(CameraState state) => Volatile.Write(ref _state, (int)state);

    public void FrameIn()
    {
        Interlocked.Increment(ref _frames);
        _metrics.Frames.Add(1, _tag);
    }

    public void SupervisorCrashed()
    {
        Interlocked.Increment(ref _supervisorCrashes);
        _metrics.SupervisorCrashes.Add(1, _tag);
    }

    public void Reconnected()
    {
        Interlocked.Increment(ref _reconnects);
        _metrics.Reconnects.Add(1, _tag);
    }

    public void Stalled()
    {
        Interlocked.Increment(ref _stalls);
        _metrics.Stalls.Add(1, _tag);
    }

    public void Error(DiagnosticKind kind)
    {
        _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
        _metrics.Errors.Add(1, _tag, new KeyValuePair<string, object?>("class", kind.ToString()));
    }

    /// <summary>The one-line status: <c>streaming h264 1920x1080 @ 25 fps, software, 1234 frames, 2 reconnects, 0 dropped</c>.</summary>
    public string Describe()
    {
        var parts = new List<string> { State.ToString().ToLowerInvariant() };
        if (Stream is { } stream)
        {
            parts[0] += " " + stream;
        }

        if (Decoder is { } decoder)
        {
            parts.Add(decoder.Name);
        }

        parts.Add($"{Frames} frames");
        parts.Add($"{Reconnects} reconnects");
        parts.Add($"{Dropped} dropped");
        if (LastFailure is { } failure && State != CameraState.Streaming)
        {
            parts.Add($"last failure {failure}");
        }

        return string.Join(", ", parts);
    }
}
