using System.Collections.Concurrent;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Ingest;

/// <summary>
/// Connects to a camera once, the way the daemon would (same frame source, same classification),
/// and reports what came: the stream, the decoder, the frame rate actually delivered, the errors.
/// </summary>
internal sealed class ProbeRunner
{
    /// <summary>Frames are only counted, so they are decoded at the stream's rate but scaled tiny.</summary>
    private const int ProbeWidth = 160;
    private const int ProbeHeight = 120;

    private readonly IFrameSourceFactory _sources;
    private readonly HardwareProbe _hardware;
    private readonly TimeProvider _time;

    public ProbeRunner(IFrameSourceFactory sources, HardwareProbe hardware, TimeProvider time)
    {
        _sources = sources;
        _hardware = hardware;
        _time = time;
    }

    public async Task<ProbeReport> RunAsync(Uri url, CameraCredential? credential, ProbeSettings settings, CancellationToken cancellationToken)
    {
        var caps = settings.Hwaccel == HardwareAcceleration.None ? HardwareCapabilities.None : await _hardware.GetAsync(cancellationToken);
        var decoder = HwaccelResolver.Resolve(settings.Hwaccel, caps);
        var errors = new ConcurrentDictionary<DiagnosticKind, long>();
        var request = new FrameSourceRequest
        {
            CameraId = "probe",
            Url = url,
            Credential = credential,
            Transport = settings.Transport,
            Replay = ReplayPace.Realtime,
            Fps = null,
            Width = ProbeWidth,
            Height = ProbeHeight,
            Decoder = decoder,
            IoTimeout = TimeSpan.FromSeconds(settings.ConnectSeconds),
        };

        var report = new ProbeReport { Url = CameraUrl.Display(url), Decoder = decoder };
        IFrameSource source;
        try
        {
            source = _sources.Start(request, d => errors.AddOrUpdate(d.Kind, 1, (_, n) => n + 1));
        }
        catch (FrameSourceException e)
        {
            return report with { Failure = e.Kind, Detail = e.Message, Errors = new Dictionary<DiagnosticKind, long> { [e.Kind] = 1 } };
        }

        var buffer = new byte[request.FrameBytes];
        var frames = 0L;
        long first = 0;
        long last = 0;
        long measureStart = 0;
        var measured = 0L;
        var warmUp = TimeSpan.FromSeconds(Math.Min(1, settings.Seconds / 3));
        var measure = TimeSpan.FromSeconds(settings.Seconds);
        var timedOut = 0;
        var deadline = TimeSpan.FromSeconds(settings.Seconds + settings.ConnectSeconds);
        await using (source)
        {
            using var timer = _time.CreateTimer(
                _ =>
                {
                    Interlocked.Exchange(ref timedOut, 1);
                    source.Abort();
                },
                null,
                deadline,
                Timeout.InfiniteTimeSpan);

            DiagnosticKind? failure = null;
            string? detail = null;
            try
            {
                while (await source.ReadFrameAsync(buffer, cancellationToken))
                {
                    last = _time.GetTimestamp();
                    if (frames++ == 0)
                    {
                        first = last;
                    }

                    if (measureStart == 0 && _time.GetElapsedTime(first, last) >= warmUp)
                    {
                        measureStart = last;
                    }
                    else if (measureStart != 0)
                    {
                        measured++;
                    }

                    if (_time.GetElapsedTime(first, last) >= measure + warmUp)
                    {
                        break;
                    }
                }
            }
            catch (FrameSourceException e)
            {
                failure = e.Kind;
                detail = e.Message;
            }

            if (frames == 0 && failure is null)
            {
                var end = await source.WaitForEndAsync(cancellationToken);
                failure = Volatile.Read(ref timedOut) != 0 && end.Kind is null ? DiagnosticKind.Stalled : end.Kind ?? DiagnosticKind.Other;
                detail = Volatile.Read(ref timedOut) != 0 && end.Kind is null
                    ? $"no frame within {settings.ConnectSeconds + settings.Seconds:0} s"
                    : end.Describe();
            }

            // Decode errors and size changes are counted per line; the failure that ended it all, once.
            var counted = errors.Where(e => e.Key is DiagnosticKind.CorruptStream or DiagnosticKind.ResolutionChanged)
                .ToDictionary(e => e.Key, e => e.Value);
            if (failure is { } f && frames == 0)
            {
                counted[f] = 1;
            }

            return report with
            {
                Stream = source.Stream,
                Frames = frames,
                Seconds = measured > 0 ? _time.GetElapsedTime(measureStart, last).TotalSeconds : 0,
                MeasuredFps = measured > 0 ? measured / _time.GetElapsedTime(measureStart, last).TotalSeconds : null,
                Failure = frames == 0 ? failure : null,
                Detail = frames == 0 ? detail : null,
                Errors = counted,
            };
        }
    }

    /// <summary>Reads the camera credential for the probe the way the daemon does.</summary>
    public static CameraCredential? ReadCredential(ProbeSettings settings)
    {
        if (settings.Credential is not { } name)
        {
            return null;
        }

        var store = settings.CredentialsDirectory is { } dir ? new CredentialStore(dir) : CredentialStore.FromOptions(new DeviceOptions());

        return CameraCredential.Read(store, name);
    }
}
