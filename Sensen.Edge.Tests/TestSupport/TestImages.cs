using Sensen.Edge.Detection;
using Sensen.Edge.Frames;

namespace Sensen.Edge.Tests.TestSupport;

/// <summary>Real pictures as BGR24 frames (decoded with ImageSharp through the operator tool's loader).</summary>
internal static class TestImages
{
    public static string FaceApiSample(int n) => Path.Combine(RepoPaths.Cache, "npm", "face-api", "demo", $"sample{n}.jpg");

    public static string LicensePlate => Path.Combine(RepoPaths.OpenCvSamples, "licenseplate_motion.jpg");

    /// <summary>Face-free photographs (fruit; a building).</summary>
    public static IEnumerable<string> NoFaces => [Path.Combine(RepoPaths.OpenCvSamples, "fruits.jpg"), Path.Combine(RepoPaths.OpenCvSamples, "building.jpg")];

    public static Frame LoadFrame(string path, FramePool? pool = null)
    {
        var (bgr, width, height) = OperatorImage.Load(path);
        return FromBgr(bgr, width, height, pool);
    }

    public static Frame FromBgr(byte[] bgr, int width, int height, FramePool? pool = null)
    {
        pool ??= new FramePool(bgr.Length, 1);
        if (!pool.TryRent(out var frame))
        {
            throw new InvalidOperationException("test frame pool exhausted");
        }

        frame.Describe("test", width, height, PixelFormat.Bgr24, 0, TimeSpan.Zero, DateTimeOffset.UnixEpoch);
        bgr.CopyTo(frame.Pixels);
        return frame;
    }
}
