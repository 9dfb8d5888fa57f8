using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Cli;
using Sensen.Edge.Configuration;
using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Ingest;
using Sensen.Edge.Privacy;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Rules;

/// <summary>
/// <c>sensen-edge preview --config FILE --camera ID --out preview.png [--seconds N] [--blank]</c>: the installer's
/// calibration aid. Reads the camera for a few seconds through the daemon's own ingest, detectors, tracker and
/// lamp classifier, then draws zones, lines with their directions, lamp state, detections and tracks with
/// trails, on the last frame as the clip path anonymises it (<see cref="PreviewAnonymiser"/>). Where the clip
/// path cannot run (no face detector in <c>privacy:</c>, its models not loaded, or it fails on the frame), the
/// picture is drawn on a pixelated, dimmed copy of the last frame (or a blank canvas), never on the frame
/// itself, and says which and why.
/// </summary>
internal static class PreviewCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "Configuration file.", DefaultValueFactory = _ => CliDefaults.ConfigPath };
        var camera = new Option<string>("--camera") { Description = "Camera id from the file.", Required = true };
        var output = new Option<string>("--out") { Description = "PNG to write.", Required = true };
        var seconds = new Option<double>("--seconds") { Description = "Seconds of video to track before drawing.", DefaultValueFactory = _ => 5 };
        var blank = new Option<bool>("--blank") { Description = "Draw on a blank canvas instead of the obscured frame." };
        var command = new Command("preview", "Draw a camera's zones, lines, lamp state and tracks for calibration (never showing a face or plate).") { config, camera, output, seconds, blank };
        command.SetAction((r, token) => ExecuteAsync(r.GetValue(config)!, r.GetValue(camera)!, r.GetValue(output)!, r.GetValue(seconds), r.GetValue(blank), Console.Out, Console.Error, token));
        return command;
    }

    internal static async Task<int> ExecuteAsync(string configPath, string cameraId, string outPath, double seconds, bool blank, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var loaded = ConfigLoader.Load(configPath);
        if (!loaded.IsValid)
        {
            return CheckConfigCommand.Report(loaded, stderr);
        }

        var config = loaded.Config!;
        var section = config.Options.Cameras.FirstOrDefault(c => c.Id == cameraId);
        if (section is null)
        {
            stderr.WriteLine($"sensen-edge preview: unknown camera '{cameraId}'; defined: {string.Join(", ", config.Options.Cameras.Select(c => c.Id))}");
            return ExitCodes.Usage;
        }

        if (seconds is <= 0 or > 600)
        {
            stderr.WriteLine("sensen-edge preview: --seconds must be between 0 and 600");
            return ExitCodes.Usage;
        }

        var rules = new CameraRules(cameraId, section.Rules, TimeZoneInfo.FindSystemTimeZoneById(config.Options.Device.TimeZone), new SignalFeeds());
        var tracking = new CameraTracking(cameraId, rules, section.Tracking.ToTrackerOptions());
        string? note = null;
        DetectorSet? detectors = null;
        IDetector[] cameraDetectors = [];
        try
        {
            detectors = DetectorSet.Create(config, NullLogger.Instance, new DetectionMetrics());
            cameraDetectors = [.. detectors.ForCamera(cameraId, config.Options.Detectors).Where(d => d.Classes.Any(CameraTracking.IsPrimary))];
            note = cameraDetectors.Length == 0 ? "NO VEHICLE OR PERSON DETECTOR ON THIS CAMERA: NO TRACKS" : null;
        }
        catch (ModelException e)
        {
            stderr.WriteLine($"sensen-edge preview: detectors not loaded, drawing without tracks: {e.Message}");
            note = "DETECTORS NOT LOADED: NO TRACKS";
        }

        using var owned = detectors;
        var camera = section.Ingest;
        CameraCredential? credential = null;
        try
        {
            credential = camera.Credential is { } name ? CameraCredential.Read(CredentialStore.FromOptions(config.Options.Device), name) : null;
        }
        catch (CredentialException e)
        {
            stderr.WriteLine($"sensen-edge preview: {e.Message}");
            return ExitCodes.NoPermission;
        }

        var request = new FrameSourceRequest
        {
            CameraId = cameraId,
            Url = new Uri(camera.Url),
            Credential = credential,
            Transport = camera.Transport,
            Replay = camera.Replay,
            Fps = camera.Analysis.Fps,
            Width = camera.Analysis.Width,
            Height = camera.Analysis.Height,
        };
        var pool = new FramePool(request.FrameBytes, 1);
        var found = new List<DetectedObject>();
        var shown = new List<DetectedObject>();
        var frames = 0L;
        var wanted = Math.Max(1, (long)Math.Ceiling(seconds * camera.Analysis.Fps));
        byte[]? last = null;
        var now = DateTimeOffset.UtcNow;
        try
        {
            await using var source = new FfmpegFrameSourceFactory(new IngestTuning()).Start(request, _ => { });
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(seconds + 20));
            if (!pool.TryRent(out var frame))
            {
                throw new InvalidOperationException("the preview's single frame buffer is in use");
            }

            try
            {
                while (frames < wanted && await source.ReadFrameAsync(frame.Buffer.AsMemory(0, request.FrameBytes), deadline.Token))
                {
                    now = DateTimeOffset.UtcNow;
                    var time = new FrameTime(TimeSpan.FromSeconds(frames / camera.Analysis.Fps), now);
                    frame.Describe(cameraId, request.Width, request.Height, PixelFormat.Bgr24, frames, time.Pts, now);
                    found.Clear();
                    foreach (var detector in cameraDetectors)
                    {
                        detector.Detect(frame, found);
                    }

                    rules.Observe(frame);
                    tracking.Process(time, request.Width, request.Height, found.ToArray(), analysed: true);
                    frames++;
                }

                last = frame.Pixels.ToArray();
            }
            finally
            {
                frame.Release();
            }
        }
        catch (FrameSourceException e)
        {
            stderr.WriteLine($"sensen-edge preview: camera '{cameraId}': {e.Message}");
            return ExitCodes.Unavailable;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            stderr.WriteLine($"sensen-edge preview: camera '{cameraId}' gave {frames} frames in {seconds + 20:0} s");
        }

        if (frames == 0 || last is null)
        {
            stderr.WriteLine($"sensen-edge preview: camera '{cameraId}' delivered no frame");
            return ExitCodes.Unavailable;
        }

        shown.AddRange(found.Where(d => CameraTracking.IsPrimary(d.Class)));
        PreviewCanvas? canvas = null;
        if (!blank && detectors is not null)
        {
            var tracks = tracking.Tracker.Confirmed.Select(t => new TrackedBox(t.Id, t.Class, t.Box, true)).ToArray();
            var (anonymised, whyNot) = PreviewAnonymiser.Anonymise(config, detectors, cameraId, last, request.Width, request.Height, TimeSpan.FromSeconds((frames - 1) / camera.Analysis.Fps), found, tracks);
            canvas = anonymised is null ? null : PreviewCanvas.FromAnonymised(anonymised);
            note = whyNot is null ? note : note is null ? whyNot : note + " - " + whyNot;
        }

        canvas ??= blank ? PreviewCanvas.Blank(request.Width, request.Height) : PreviewCanvas.Obscured(last, request.Width, request.Height);
        PreviewRenderer.Draw(canvas, section.Rules, rules, tracking.Tracker.Confirmed, shown, now, note);
        try
        {
            canvas.Save(outPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"sensen-edge preview: cannot write {outPath}: {e.Message}");
            return ExitCodes.CannotCreate;
        }

        stdout.WriteLine($"{outPath}: {frames} frames, {tracking.Tracker.Confirmed.Count} tracks, drawn on {(canvas.Anonymised ? "the last frame anonymised by the clip path" : canvas.FromFrame ? "a pixelated, dimmed copy of the last frame" : "a blank canvas")}");
        return ExitCodes.Ok;
    }
}
