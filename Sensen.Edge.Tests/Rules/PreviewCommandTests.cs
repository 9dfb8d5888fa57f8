using Sensen.Edge.Detection;
using Sensen.Edge.Rules;
using Sensen.Edge.Tests.Detection;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Rules;

/// <summary>
/// The preview verb on a real clip through real ffmpeg: a photograph with faces becomes a picture in which
/// the real face detector finds none, with the zones, lines and banner drawn.
/// </summary>
public sealed class PreviewCommandTests
{
    private DirectoryInfo _dir = null!;
    private string _clip = "";

    /// <summary>
    /// Its own clip (face-api's sample1.jpg as 2 s of 10 fps H.264): the shared <see cref="TestClips"/> are
    /// deleted when the ingest tests finish, which may be before these run.
    /// </summary>
    [OneTimeSetUp]
    public async Task CreateClipAsync()
    {
        _dir = Directory.CreateTempSubdirectory("sensen-preview-");
        _clip = Path.Combine(_dir.FullName, "faces.mp4");
        var start = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-nostdin", "-loglevel", "error", "-loop", "1", "-framerate", "10", "-i", TestImages.FaceApiSample(1), "-t", "2", "-vf", "scale=1280:720", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", _clip })
        {
            start.ArgumentList.Add(a);
        }

        using var ffmpeg = System.Diagnostics.Process.Start(start)!;
        var errors = await ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        Assert.That(ffmpeg.ExitCode, Is.Zero, errors);
    }

    [OneTimeTearDown]
    public void DeleteDirectory() => _dir.Delete(recursive: true);

    private async Task<string> ConfigAsync(CancellationToken cancellationToken, string extra = "")
    {
        var clip = _clip;
        var path = Path.Combine(_dir.FullName, extra.Length == 0 ? "edge.yaml" : "edge-privacy.yaml");
        await File.WriteAllTextAsync(path, $"""
            device: {"{"}id: bench, credentials_directory: {_dir.FullName}{"}"}
            cameras:
              - id: kerb
                url: file://{clip}
                replay: fast
                analysis: {"{"}fps: 10, width: 1280, height: 720{"}"}
                zones: [{"{"}id: lane, polygon: [[0.1, 0.5], [0.4, 0.5], [0.4, 0.95], [0.1, 0.95]]{"}"}]
                lines: [{"{"}id: stop, from: [0.1, 0.3], to: [0.9, 0.3]{"}"}]
            {extra}
            """, cancellationToken);
        return path;
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task ExecuteAsync_ClipWithFaces_NoFaceInPictureAndOverlaysDrawn(CancellationToken cancellationToken)
    {
        var config = await ConfigAsync(cancellationToken);
        var png = Path.Combine(_dir.FullName, "preview.png");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await PreviewCommand.ExecuteAsync(config, "kerb", png, 1, blank: false, stdout, stderr, cancellationToken);

        Assert.That(code, Is.Zero, stderr.ToString());
        Assert.That(stdout.ToString(), Does.Contain("drawn on a pixelated, dimmed copy of the last frame"));
        var (bgr, width, height) = OperatorImage.Load(png);
        Assert.That((width, height), Is.EqualTo((1280, 720)));
        using var faces = TestModels.Detector(RepoPaths.Models, "face-tiny");
        var before = new List<DetectedObject>();
        var (raw, rawWidth, rawHeight) = OperatorImage.Load(TestImages.FaceApiSample(1));
        faces.Detect(raw, rawWidth, rawHeight, before);
        var after = new List<DetectedObject>();
        faces.Detect(bgr, width, height, after);
        Assert.Multiple(() =>
        {
            Assert.That(before, Is.Not.Empty, "the photograph has faces the detector finds");
            Assert.That(after, Is.Empty, "no face can be found in the preview");
            Assert.That(Count(bgr, (255, 200, 0)), Is.GreaterThan(500), "zone outline drawn");
            Assert.That(Count(bgr, (0, 220, 255)), Is.GreaterThan(500), "line drawn");
            Assert.That(Count(bgr.AsSpan(0, width * 3 * 24).ToArray(), (255, 255, 255)), Is.GreaterThan(300), "banner drawn");
        });
    }

    /// <summary>With a face detector in <c>privacy:</c> the picture is the real frame through the clip path: bright, its faces filled.</summary>
    [Test]
    [CancelAfter(120_000)]
    public async Task ExecuteAsync_PrivacyFaceDetector_DrawsOnTheAnonymisedFrame(CancellationToken cancellationToken)
    {
        var config = await ConfigAsync(cancellationToken, $"""
            inference: {"{"}providers: [cpu], models_directory: {RepoPaths.Models}, intra_op_threads: 1{"}"}
            detectors: [{"{"}id: faces, model: face-tiny{"}"}]
            privacy: {"{"}face_detector: faces, method: fill{"}"}
            """);
        var png = Path.Combine(_dir.FullName, "preview-anonymised.png");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await PreviewCommand.ExecuteAsync(config, "kerb", png, 1, blank: false, stdout, stderr, cancellationToken);

        Assert.That(code, Is.Zero, stderr.ToString());
        Assert.That(stdout.ToString(), Does.Contain("drawn on the last frame anonymised by the clip path"));
        var (bgr, width, height) = OperatorImage.Load(png);
        using var faces = TestModels.Detector(RepoPaths.Models, "face-tiny");
        var after = new List<DetectedObject>();
        faces.Detect(bgr, width, height, after);
        Assert.Multiple(() =>
        {
            Assert.That(after, Is.Empty, "no face can be found in the preview");
            Assert.That(Count(bgr, (128, 128, 128)), Is.GreaterThan(3 * 100 * 100), "three faces filled");
            Assert.That(bgr.AsSpan(width * 3 * 100).ToArray().Max(), Is.GreaterThan(200), "the frame itself, not dimmed");
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task ExecuteAsync_UnknownCamera_UsageErrorNamesTheCameras(CancellationToken cancellationToken)
    {
        var config = await ConfigAsync(cancellationToken);
        var stderr = new StringWriter();
        var code = await PreviewCommand.ExecuteAsync(config, "nope", Path.Combine(_dir.FullName, "x.png"), 1, false, TextWriter.Null, stderr, cancellationToken);
        Assert.That(code, Is.EqualTo(64));
        Assert.That(stderr.ToString().Trim(), Is.EqualTo("sensen-edge preview: unknown camera 'nope'; defined: kerb"));
    }

    [Test]
    public void Obscured_FineDetail_EveryBlockFlatAndDimmed()
    {
        const int width = 96;
        const int height = 72;
        var bgr = new byte[width * height * 3];
        for (var i = 0; i < width * height; i++)
        {
            bgr[(i * 3) + ((i + (i / width)) % 3)] = 255; // single-pixel colour stripes: detail a mosaic must erase
        }

        var canvas = PreviewCanvas.Obscured(bgr, width, height);
        var block = PreviewCanvas.BlockSize(width);
        Assert.That(block, Is.EqualTo(24));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                var corner = (((y / block * block) * width) + (x / block * block)) * 3;
                Assert.That(canvas.Pixels.AsSpan(i, 3).SequenceEqual(canvas.Pixels.AsSpan(corner, 3)), Is.True, $"pixel {x},{y} differs from its block");
                Assert.That(canvas.Pixels[i..(i + 3)].Max(), Is.LessThanOrEqualTo(102), "dimmed to 40 %");
            }
        }
    }

    private static int Count(byte[] bgr, (byte B, byte G, byte R) colour)
    {
        var n = 0;
        for (var i = 0; i + 2 < bgr.Length; i += 3)
        {
            n += bgr[i] == colour.B && bgr[i + 1] == colour.G && bgr[i + 2] == colour.R ? 1 : 0;
        }

        return n;
    }
}
