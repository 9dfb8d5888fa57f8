using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Configuration;
using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Privacy;

/// <summary>
/// The preview verb's picture through the clip path (ARCHITECTURE.md: the preview shows the real frame,
/// anonymised by this same path). When the clip path cannot run, it says why, and the preview keeps its
/// older fallback (a pixelated, dimmed copy, or a blank canvas) rather than the frame.
/// </summary>
internal static class PreviewAnonymiser
{
    /// <returns>The anonymised frame, or null and why not (upper case: it is printed on the picture).</returns>
    public static (AnonymisedFrame? Frame, string? WhyNot) Anonymise(LoadedConfig config, DetectorSet detectors, string cameraId, byte[] bgr, int width, int height, TimeSpan pts, IReadOnlyList<DetectedObject> detections, IReadOnlyList<TrackedBox> tracks)
    {
        ArgumentNullException.ThrowIfNull(config);
        var privacy = config.Options.Privacy;
        if (privacy.FaceDetector is null && privacy.FaceDetectors.Count == 0)
        {
            return (null, "NO FACE DETECTOR IN PRIVACY: SO NOT THE ANONYMISED FRAME");
        }

        ClipAnonymiser anonymiser;
        try
        {
            anonymiser = PrivacyRegistration.Create(config, detectors, new PrivacyMetrics(), NullLoggerFactory.Instance);
        }
        catch (ModelException)
        {
            return (null, "PRIVACY MODELS NOT LOADED: SO NOT THE ANONYMISED FRAME");
        }

        using (anonymiser)
        {
            var pool = new FramePool(width * height * 3, 1);
            if (!pool.TryRent(out var frame))
            {
                throw new InvalidOperationException("the preview's still frame could not be rented");
            }

            frame.Describe(cameraId, width, height, PixelFormat.Bgr24, 0, pts, DateTimeOffset.UtcNow);
            bgr.AsSpan(0, width * height * 3).CopyTo(frame.Pixels);
            var clip = new ClipFrame(frame.Handle(), analysed: true, new FrameTime(pts, frame.CaptureTime), [.. detections], [.. tracks]);
            var anonymised = anonymiser.AnonymiseStill(clip, new ClipSubject(cameraId, new Dictionary<long, IReadOnlyList<TrackPoint>>()));
            return anonymised.IsMaskedWhole ? (null, "THE CLIP PATH FAILED ON THIS FRAME: SO NOT THE ANONYMISED FRAME") : (anonymised, null);
        }
    }
}
