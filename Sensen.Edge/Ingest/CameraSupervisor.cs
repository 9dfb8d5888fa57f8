using System.Globalization;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Sensen.Edge.Configuration;
using Sensen.Edge.Frames;
using Sensen.Edge.Pipeline;

namespace Sensen.Edge.Ingest;

/// <summary>
/// Keeps one camera's frames flowing for as long as the daemon runs: starts a frame source, reads
/// frames into pooled buffers and hands them to the camera's ingest → detection edge, and restarts the source when
/// it exits, stalls (no frame within the stall timeout) or writes malformed output, waiting between
/// attempts per <see cref="IngestBackoff"/>. While the camera is down it sleeps in a timer, so a dead
/// camera costs nothing. Nothing here is shared with other cameras' supervisors.
/// </summary>
internal sealed class CameraSupervisor
{
    private readonly CameraOptions _camera;
    private readonly Uri _url;
    private readonly CameraIngestState _state;
    private readonly FramePool _pool;
    private readonly PipelineEdge<Frame> _edge;
    private readonly IFrameSourceFactory _sources;
    private readonly HardwareProbe _hardware;
    private readonly CredentialStore _credentials;
    private readonly IngestTuning _tuning;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _stallTimeout;
    private readonly TimeSpan _frameInterval;
    private readonly long _startedAt;
    private byte[]? _scratch;
    private long _runs;
    private long _sequence;
    private TimeSpan _lastPts = TimeSpan.MinValue;
    private DateTimeOffset _lastCapture = DateTimeOffset.MinValue;
    private DecoderChoice _decoder = DecoderChoice.Software("not resolved yet");
    private bool _loggedCorruptionThisRun;
    private IFrameSource? _current;

    public CameraSupervisor(
        CameraOptions camera,
        CameraIngestState state,
        FramePool pool,
        PipelineEdge<Frame> edge,
        IFrameSourceFactory sources,
        HardwareProbe hardware,
        CredentialStore credentials,
        IngestTuning tuning,
        TimeProvider time,
        ILogger logger)
    {
        _camera = camera;
        _url = new Uri(camera.Url);
        _state = state;
        _pool = pool;
        _edge = edge;
        _sources = sources;
        _hardware = hardware;
        _credentials = credentials;
        _tuning = tuning;
        _time = time;
        _logger = logger;
        _stallTimeout = tuning.StallTimeout(camera);
        _frameInterval = TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / camera.Analysis.Fps));
        _startedAt = time.GetTimestamp();
    }

    private enum RunOutcome
    {
        Restart,
        Finished,
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ResolveDecoderAsync(cancellationToken);
            var backoff = IngestBackoff.Create(_tuning, _time, OnRetry);
            while (!cancellationToken.IsCancellationRequested)
            {
                var outcome = await backoff.ExecuteAsync(static (self, ct) => self.RunOnceAsync(ct), this, cancellationToken);
                if (outcome == RunOutcome.Finished)
                {
                    _state.SetState(CameraState.Finished);
                    _logger.ReplayFinished(_camera.Id);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The daemon is stopping.
        }

        _state.SetState(CameraState.Stopped);
    }

    private async Task ResolveDecoderAsync(CancellationToken cancellationToken)
    {
        var caps = _camera.Hwaccel == HardwareAcceleration.None ? HardwareCapabilities.None : await _hardware.GetAsync(cancellationToken);
        _decoder = HwaccelResolver.Resolve(_camera.Hwaccel, caps);
        _state.Decoder = _decoder;
        if (_camera.Hwaccel is not (HardwareAcceleration.None or HardwareAcceleration.Auto) && !_decoder.IsHardware)
        {
            _logger.HardwareFallback(_camera.Id, _decoder.Reason);
        }

        _logger.DecoderChosen(_camera.Id, CameraUrl.Display(_url), _decoder);
    }

    private async ValueTask<RunOutcome> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (_runs++ > 0)
        {
            _state.Reconnected();
        }

        _state.SetState(CameraState.Connecting);
        _loggedCorruptionThisRun = false;
        FrameSourceRequest request;
        IFrameSource source;
        try
        {
            request = BuildRequest();
            source = _sources.Start(request, OnDiagnostic);
        }
        catch (FrameSourceException e)
        {
            // Failed before ffmpeg ran (credential file, a name under .invalid, no ffmpeg binary).
            _state.Error(e.Kind);
            _state.LastFailure = e.Kind;
            throw;
        }

        _current = source;
        var frameBytes = request.FrameBytes;
        var runStart = _time.GetTimestamp();
        var lastFrame = runStart;
        var framesThisRun = 0L;
        var stalled = 0;
        FrameSourceException? readFailure = null;

        // The watchdog: a timer (no thread, no polling loop of ours) that kills ffmpeg when no frame
        // came within the stall timeout; the first frame of a run gets extra time for the handshake.
        var period = TimeSpan.FromTicks(Math.Clamp(_stallTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 50, TimeSpan.TicksPerSecond));
        using var watchdog = _time.CreateTimer(
            _ =>
            {
                var limit = Interlocked.Read(ref framesThisRun) == 0 ? _stallTimeout + _tuning.FirstFrameGrace : _stallTimeout;
                if (_time.GetElapsedTime(Interlocked.Read(ref lastFrame)) > limit && Interlocked.Exchange(ref stalled, 1) == 0)
                {
                    source.Abort();
                }
            },
            null,
            period,
            period);

        var ptsBase = NextRunPtsBase();
        try
        {
            while (true)
            {
                var frame = _pool.TryRent(out var rented) ? rented : null;
                var destination = frame is null ? Scratch(frameBytes) : frame.Buffer.AsMemory(0, frameBytes);
                bool ok;
                try
                {
                    ok = await source.ReadFrameAsync(destination, cancellationToken);
                }
                catch
                {
                    frame?.Release();
                    throw;
                }

                if (!ok)
                {
                    frame?.Release();
                    break;
                }

                Interlocked.Exchange(ref lastFrame, _time.GetTimestamp());
                var index = Interlocked.Increment(ref framesThisRun) - 1;
                if (index == 0)
                {
                    _state.SetState(CameraState.Streaming);
                    _state.Stream = source.Stream;
                    _logger.Streaming(_camera.Id, source.Stream?.ToString() ?? "(unknown stream)", request.Width, request.Height, _camera.Analysis.Fps.ToString(CultureInfo.InvariantCulture));
                }

                _state.FrameIn();
                if (frame is null)
                {
                    // Downstream holds every buffer: this frame was read to keep ffmpeg moving, and is dropped,
                    // counted on the same edge as the frames the full channel drops (one drop point).
                    _edge.Drops.Add(DropReason.NoFreeBuffer);
                    continue;
                }

                var pts = ptsBase + (_frameInterval * index);
                _lastPts = pts;
                frame.Describe(_camera.Id, request.Width, request.Height, request.Format, _sequence++, pts, CaptureTime());
                if (!_edge.Writer.TryWrite(frame))
                {
                    // Detection closed the edge (it is stopping): the frame stays ours to release.
                    _edge.ReleaseUndelivered(frame);
                }
            }
        }
        catch (FrameSourceException e) when (e.Kind == DiagnosticKind.MalformedOutput)
        {
            readFailure = e;
            _state.Error(DiagnosticKind.MalformedOutput);
            source.Abort();
        }
        catch
        {
            // Stopping (cancellation) or a fault of ours: ffmpeg must not outlive this run either way.
            source.Abort();
            await source.DisposeAsync();
            throw;
        }

        // The frames are over: from here on silence is not a stall.
        watchdog.Dispose();
        FrameSourceEnd end;
        try
        {
            end = await source.WaitForEndAsync(cancellationToken);
        }
        finally
        {
            await source.DisposeAsync();
        }

        _state.Stream = source.Stream ?? _state.Stream;
        var ranFor = _time.GetElapsedTime(runStart);
        if (Volatile.Read(ref stalled) != 0)
        {
            _state.Stalled();
            _state.Error(DiagnosticKind.Stalled);
            _state.LastFailure = DiagnosticKind.Stalled;
            _logger.Stalled(_camera.Id, _stallTimeout.TotalSeconds);
            throw new FrameSourceException(DiagnosticKind.Stalled, $"no frame for {_stallTimeout.TotalSeconds:0.0} s");
        }

        var kind = readFailure?.Kind ?? end.Kind;
        if (kind is null && end.ExitCode == 0 && _url.IsFile && !_camera.Loop)
        {
            return RunOutcome.Finished;
        }

        // A live source that ends without a complaint was closed by the far side.
        kind ??= DiagnosticKind.ConnectionLost;
        _state.LastFailure = kind;
        if (kind is not (DiagnosticKind.CorruptStream or DiagnosticKind.MalformedOutput))
        {
            // Fatal kinds count once per run; decode errors were counted line by line as they came.
            _state.Error(kind.Value);
        }

        var detail = readFailure?.Message ?? end.Describe();
        if (kind == DiagnosticKind.HardwareDecoder && _decoder.IsHardware)
        {
            // The accelerator was there at start-up but does not open (driver, profile, device busy).
            _decoder = DecoderChoice.Software($"{_decoder.Name} failed to open: {detail}");
            _state.Decoder = _decoder;
            _logger.HardwareFallback(_camera.Id, _decoder.Reason);
        }

        if (framesThisRun > 0 && ranFor >= _tuning.HealthyAfter)
        {
            _logger.HealthyRunEnded(_camera.Id, ranFor.TotalSeconds, detail);
            return RunOutcome.Restart;
        }

        throw new FrameSourceException(kind.Value, detail);
    }

    private FrameSourceRequest BuildRequest()
    {
        CameraCredential? credential = null;
        if (_camera.Credential is { } name)
        {
            try
            {
                credential = CameraCredential.Read(_credentials, name);
            }
            catch (CredentialException e)
            {
                throw new FrameSourceException(DiagnosticKind.Unauthorized, e.Message, e);
            }
        }

        return new FrameSourceRequest
        {
            CameraId = _camera.Id,
            Url = _url,
            Credential = credential,
            Transport = _camera.Transport,
            Replay = _camera.Replay,
            Loop = _camera.Loop,
            Fps = _camera.Analysis.Fps,
            Width = _camera.Analysis.Width,
            Height = _camera.Analysis.Height,
            Decoder = _decoder,
            KnownCodec = _state.Stream?.Codec,
            IoTimeout = _stallTimeout,
        };
    }

    /// <summary>
    /// A new run's pts continue after the last frame, and account for the time the camera was
    /// away (monotonic clock since the supervisor started), so a gap in the stream is a gap in pts.
    /// </summary>
    private TimeSpan NextRunPtsBase()
    {
        if (_lastPts == TimeSpan.MinValue)
        {
            return TimeSpan.Zero;
        }

        var elapsed = _time.GetElapsedTime(_startedAt);
        var next = _lastPts + _frameInterval;
        return elapsed > next ? elapsed : next;
    }

    /// <summary>Wall-clock time of reading, never going backwards for this camera even if the clock is stepped back.</summary>
    private DateTimeOffset CaptureTime()
    {
        var now = _time.GetUtcNow();
        if (now <= _lastCapture)
        {
            now = _lastCapture.AddTicks(1);
        }

        _lastCapture = now;
        return now;
    }

    private Memory<byte> Scratch(int bytes)
    {
        if (_scratch is null || _scratch.Length < bytes)
        {
            _scratch = GC.AllocateUninitializedArray<byte>(bytes);
        }

        return _scratch.AsMemory(0, bytes);
    }

    private void OnDiagnostic(FfmpegDiagnostic diagnostic)
    {
        switch (diagnostic.Kind)
        {
            case DiagnosticKind.CorruptStream:
                _state.Error(DiagnosticKind.CorruptStream);
                if (!_loggedCorruptionThisRun)
                {
                    _loggedCorruptionThisRun = true;
                    _logger.CorruptStream(_camera.Id, diagnostic.Line);
                }

                break;
            case DiagnosticKind.ResolutionChanged:
                _state.Stream = _current?.Stream ?? _state.Stream;
                _state.Error(DiagnosticKind.ResolutionChanged);
                _logger.ResolutionChanged(_camera.Id, diagnostic.Line);
                break;
            default:
                // Fatal kinds are counted and logged once, when the run ends.
                break;
        }
    }

    private ValueTask OnRetry(OnRetryArguments<object> args)
    {
        _state.SetState(CameraState.Waiting);
        var (kind, detail) = args.Outcome.Exception is FrameSourceException e
            ? (e.Kind, e.Message)
            : (DiagnosticKind.Other, UrlRedactor.RedactUserInfo(args.Outcome.Exception?.Message ?? "unknown"));
        if (args.Outcome.Exception is not FrameSourceException)
        {
            _state.Error(DiagnosticKind.Other);
        }

        if (kind != DiagnosticKind.Stalled)
        {
            _logger.RunFailed(_camera.Id, kind, detail, args.RetryDelay.TotalSeconds);
        }

        return default;
    }
}
