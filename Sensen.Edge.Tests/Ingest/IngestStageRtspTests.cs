using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sensen.Edge.Frames;
using Sensen.Edge.Ingest;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>The ingest stage against a real RTSP server (GStreamer) on loopback, with real ffmpeg.</summary>
public sealed class IngestStageRtspTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Test]
    [CancelAfter(30_000)]
    public async Task Stage_LiveCamera_DeliversFramesAtAnalysisSizeWithMonotonicTimestamps(CancellationToken cancellationToken)
    {
        await using var server = await RtspTestServer.StartAsync(await TestClips.SteadyAsync(cancellationToken), cancellationToken);
        await using var ingest = new IngestHarness([IngestHarness.Camera("gate", server.Url, fps: 5, width: 160, height: 120)]);
        await ingest.StartAsync(cancellationToken);

        var frames = await ingest.ReadAsync("gate", 10, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(frames.Select(f => (f.Width, f.Height, f.Format)), Is.All.EqualTo((160, 120, PixelFormat.Bgr24)));
            Assert.That(frames.Select(f => f.Sequence), Is.EqualTo(Enumerable.Range(0, 10).Select(i => (long)i)));
            // fps=5 emits a constant rate: pts step by exactly 200 ms.
            Assert.That(frames.Zip(frames.Skip(1), (a, b) => b.Pts - a.Pts), Is.All.EqualTo(TimeSpan.FromMilliseconds(200)));
            Assert.That(frames.Zip(frames.Skip(1), (a, b) => b.CaptureTime > a.CaptureTime), Is.All.True);
            Assert.That(frames[^1].CaptureTime, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromSeconds(5)));
            // testsrc2 is colourful: a frame of zeros would mean the buffer was never filled.
            Assert.That(frames.Select(f => f.PixelSum), Is.All.GreaterThan(160 * 120 * 3 * 20L));
            var state = ingest.State("gate");
            Assert.That(state.Stream, Is.EqualTo(new StreamInfo("h264", "Constrained Baseline", 320, 240, 15)));
            Assert.That(state.State, Is.EqualTo(CameraState.Streaming));
            Assert.That(state.Reconnects, Is.Zero);
            Assert.That(ingest.Status.Lines().Single(), Does.StartWith("ingest gate: streaming h264 (Constrained Baseline) 320x240 @ 15 fps, software, "));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Stage_UdpTransport_DeliversFrames(CancellationToken cancellationToken)
    {
        await using var server = await RtspTestServer.StartAsync(await TestClips.SteadyAsync(cancellationToken), cancellationToken);
        await using var ingest = new IngestHarness([IngestHarness.Camera("gate", server.Url) with { Transport = RtspTransport.Udp }]);
        await ingest.StartAsync(cancellationToken);

        var frames = await ingest.ReadAsync("gate", 5, cancellationToken);

        Assert.That(frames.Select(f => (f.Width, f.Height)), Is.All.EqualTo((160, 120)));
        Assert.That(ingest.State("gate").Stream?.Codec, Is.EqualTo("h264"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Stage_RtspsCamera_DeliversFramesOverTls(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("sensen-edge-tls-");
        try
        {
            // A self-signed certificate, as cameras ship with (ffmpeg does not verify by default, tls_verify=0).
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
            var pem = Path.Combine(directory.FullName, "camera.pem");
            await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n", cancellationToken);
            await using var server = await RtspTestServer.StartAsync(await TestClips.SteadyAsync(cancellationToken), cancellationToken, tlsPem: pem);
            await using var ingest = new IngestHarness([IngestHarness.Camera("gate", server.Url)]);
            await ingest.StartAsync(cancellationToken);

            var frames = await ingest.ReadAsync("gate", 5, cancellationToken);

            Assert.That(server.Url, Does.StartWith("rtsps://"));
            Assert.That(frames.Select(f => (f.Width, f.Height)), Is.All.EqualTo((160, 120)));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Stage_ServerRestartedMidStream_FramesResumeAndReconnectsCount(CancellationToken cancellationToken)
    {
        await using var server = await RtspTestServer.StartAsync(await TestClips.SteadyAsync(cancellationToken), cancellationToken);
        await using var ingest = new IngestHarness([IngestHarness.Camera("gate", server.Url)]);
        await ingest.StartAsync(cancellationToken);
        var before = await ingest.ReadAsync("gate", 5, cancellationToken);
        var state = ingest.State("gate");

        await server.StopAsync();
        await Eventually.AssertAsync(() => state.Reconnects >= 2 && state.State != CameraState.Streaming, Patience, () => state.Describe(), cancellationToken);
        ingest.Discard("gate");
        await server.StartAsync(cancellationToken);
        await Eventually.AssertAsync(() => state.State == CameraState.Streaming, Patience, () => state.Describe(), cancellationToken);
        var after = await ingest.ReadAsync("gate", 5, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(after[0].Sequence, Is.GreaterThan(before[^1].Sequence));
            Assert.That(after[0].Pts, Is.GreaterThan(before[^1].Pts));
            Assert.That(after[0].CaptureTime, Is.GreaterThan(before[^1].CaptureTime));
            Assert.That(after.Select(f => f.Width), Is.All.EqualTo(160));
            Assert.That(state.Errors(DiagnosticKind.ConnectionRefused), Is.GreaterThanOrEqualTo(1), state.Describe());
            Assert.That(ingest.Logs.Text, Does.Contain("ConnectionRefused"));
        });
    }

    [Test]
    [CancelAfter(40_000)]
    public async Task Stage_FrozenServer_WatchdogCountsStallAndRestartsDecoder(CancellationToken cancellationToken)
    {
        await using var server = await RtspTestServer.StartAsync(await TestClips.SteadyAsync(cancellationToken), cancellationToken);
        await using var ingest = new IngestHarness([IngestHarness.Camera("gate", server.Url)]);
        await ingest.StartAsync(cancellationToken);
        await ingest.ReadAsync("gate", 3, cancellationToken);
        var state = ingest.State("gate");

        // The connection stays open but nothing flows: only the watchdog can notice.
        server.Freeze();
        try
        {
            await Eventually.AssertAsync(() => state.Stalls >= 1, Patience, () => state.Describe(), cancellationToken);
        }
        finally
        {
            server.Thaw();
        }

        ingest.Discard("gate");
        await Eventually.AssertAsync(() => state.Reconnects >= 1 && state.State == CameraState.Streaming, Patience, () => state.Describe(), cancellationToken);
        var after = await ingest.ReadAsync("gate", 3, cancellationToken);

        Assert.That(after, Has.Count.EqualTo(3));
        Assert.That(state.Errors(DiagnosticKind.Stalled), Is.GreaterThanOrEqualTo(1));
        // Default stall timeout at 5 fps: max(2 s minimum, 20 frame intervals) = 4 s.
        Assert.That(ingest.Logs.Text, Does.Contain("no frame for 4.0 s"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Stage_CorruptedStream_DecodeErrorsClassifiedAndFramesKeepComing(CancellationToken cancellationToken)
    {
        await using var server = await RtspTestServer.StartAsync(await TestClips.CorruptedAsync(cancellationToken), cancellationToken);
        await using var ingest = new IngestHarness([IngestHarness.Camera("gate", server.Url)]);
        await ingest.StartAsync(cancellationToken);
        var state = ingest.State("gate");

        var frames = await ingest.ReadAsync("gate", 15, cancellationToken);
        await Eventually.AssertAsync(() => state.Errors(DiagnosticKind.CorruptStream) > 0, Patience, () => state.Describe(), cancellationToken);

        Assert.That(frames.Select(f => f.Sequence), Is.Ordered.Ascending);
        Assert.That(state.State, Is.EqualTo(CameraState.Streaming));
        // Logged once per run, not once per damaged macroblock.
        Assert.That(ingest.Logs.Lines.Count(l => l.Contains("corrupt video", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Stage_ResolutionChangesMidStream_FramesKeepAnalysisSizeAndChangeIsReported(CancellationToken cancellationToken)
    {
        await using var server = await RtspTestServer.StartAsync(await TestClips.ResolutionChangeAsync(cancellationToken), cancellationToken);
        await using var ingest = new IngestHarness([IngestHarness.Camera("gate", server.Url, fps: 5)]);
        await ingest.StartAsync(cancellationToken);
        var state = ingest.State("gate");

        // The change comes 4 s in; 30 frames at 5 fps span 6 s.
        var frames = await ingest.ReadAsync("gate", 30, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(frames.Select(f => (f.Width, f.Height)), Is.All.EqualTo((160, 120)));
            Assert.That(state.Errors(DiagnosticKind.ResolutionChanged), Is.EqualTo(1));
            Assert.That(state.Stream, Is.Not.Null);
            Assert.That((state.Stream!.Width, state.Stream.Height), Is.EqualTo((240, 160)));
            Assert.That(state.Reconnects, Is.Zero, "a size change needs no restart");
            Assert.That(ingest.Logs.Text, Does.Contain("picture size changed from 320x240 to 240x160"));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Stage_NothingListening_ConnectionRefusedRetriedWithBackoff(CancellationToken cancellationToken)
    {
        await using var ingest = new IngestHarness([IngestHarness.Camera("gate", $"rtsp://127.0.0.1:{FreePort.Next()}/cam")]);
        await ingest.StartAsync(cancellationToken);
        var state = ingest.State("gate");

        await Eventually.AssertAsync(() => state.Errors(DiagnosticKind.ConnectionRefused) >= 3, Patience, () => state.Describe(), cancellationToken);

        Assert.That(state.Frames, Is.Zero);
        Assert.That(state.Reconnects, Is.GreaterThanOrEqualTo(2));
        Assert.That(state.LastFailure, Is.EqualTo(DiagnosticKind.ConnectionRefused));
        Assert.That(ingest.Logs.Text, Does.Contain("ConnectionRefused: ffmpeg exited with 1").And.Contain("next attempt in"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Stage_HostUnderDotInvalid_UnknownHostWithoutStartingFfmpeg(CancellationToken cancellationToken)
    {
        await using var ingest = new IngestHarness([IngestHarness.Camera("gate", "rtsp://camera.invalid:554/cam")]);
        await ingest.StartAsync(cancellationToken);
        var state = ingest.State("gate");

        await Eventually.AssertAsync(() => state.Errors(DiagnosticKind.UnknownHost) >= 2, TimeSpan.FromSeconds(10), () => state.Describe(), cancellationToken);

        Assert.That(state.LastFailure, Is.EqualTo(DiagnosticKind.UnknownHost));
        Assert.That(ingest.Logs.Text, Does.Contain("host 'camera.invalid' cannot resolve"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Stage_WrongPath_ClassifiedNotFound(CancellationToken cancellationToken)
    {
        await using var server = await RtspTestServer.StartAsync(await TestClips.SteadyAsync(cancellationToken), cancellationToken);
        await using var ingest = new IngestHarness([IngestHarness.Camera("gate", $"rtsp://127.0.0.1:{server.Port}/no-such-stream")]);
        await ingest.StartAsync(cancellationToken);
        var state = ingest.State("gate");

        await Eventually.AssertAsync(() => state.Errors(DiagnosticKind.NotFound) >= 1, Patience, () => state.Describe(), cancellationToken);

        Assert.That(state.Frames, Is.Zero);
        Assert.That(ingest.Logs.Text, Does.Contain("404 Not Found"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Stage_AudioOnlyStream_ClassifiedNoVideo(CancellationToken cancellationToken)
    {
        await using var server = await RtspTestServer.StartAsync(await TestClips.AudioOnlyAsync(cancellationToken), cancellationToken, kind: "audio");
        await using var ingest = new IngestHarness([IngestHarness.Camera("gate", server.Url)]);
        await ingest.StartAsync(cancellationToken);
        var state = ingest.State("gate");

        await Eventually.AssertAsync(() => state.Errors(DiagnosticKind.NoVideo) >= 1, Patience, () => state.Describe(), cancellationToken);

        Assert.That(state.Frames, Is.Zero);
        Assert.That(state.LastFailure, Is.EqualTo(DiagnosticKind.NoVideo));
    }

    [Test]
    [CancelAfter(40_000)]
    public async Task Stage_CameraWithPassword_RightOneStreamsWrongOneUnauthorizedAndNeitherIsLogged(CancellationToken cancellationToken)
    {
        const string Right = "s3cret:pa@ss/word";
        const string Wrong = "guessed-Pa55";
        var credentials = Directory.CreateTempSubdirectory("sensen-edge-creds-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(credentials.FullName, "gate-camera"), $"admin:{Right}\n", cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(credentials.FullName, "yard-camera"), $"admin:{Wrong}\n", cancellationToken);
            await using var server = await RtspTestServer.StartAsync(await TestClips.SteadyAsync(cancellationToken), cancellationToken, user: "admin", password: Right);
            await using var ingest = new IngestHarness(
                [
                    IngestHarness.Camera("gate", server.Url) with { Credential = "gate-camera" },
                    IngestHarness.Camera("yard", server.Url) with { Credential = "yard-camera" },
                ],
                credentials.FullName);
            await ingest.StartAsync(cancellationToken);

            var frames = await ingest.ReadAsync("gate", 5, cancellationToken);
            var yard = ingest.State("yard");
            await Eventually.AssertAsync(() => yard.Errors(DiagnosticKind.Unauthorized) >= 2, Patience, () => yard.Describe(), cancellationToken);

            Assert.Multiple(() =>
            {
                Assert.That(frames, Has.Count.EqualTo(5));
                Assert.That(yard.Frames, Is.Zero);
                Assert.That(ingest.Logs.Text, Does.Contain("401 Unauthorized"));
                // ffmpeg echoes the URL with user info in its errors; none of it may reach a log line.
                Assert.That(ingest.Logs.Text, Does.Not.Contain(Wrong).And.Not.Contain(Uri.EscapeDataString(Right)).And.Not.Contain(Right));
                Assert.That(ingest.Logs.Text, Does.Not.Contain("admin:"));
            });
        }
        finally
        {
            credentials.Delete(recursive: true);
        }
    }

    [Test]
    [CancelAfter(40_000)]
    public async Task Stage_TwoCamerasOneBroken_HealthyOneKeepsDelivering(CancellationToken cancellationToken)
    {
        await using var server = await RtspTestServer.StartAsync(await TestClips.SteadyAsync(cancellationToken), cancellationToken);
        await using var ingest = new IngestHarness(
        [
            IngestHarness.Camera("good", server.Url, fps: 10),
            IngestHarness.Camera("dead", $"rtsp://127.0.0.1:{FreePort.Next()}/cam"),
        ]);
        await ingest.StartAsync(cancellationToken);

        var frames = await ingest.ReadAsync("good", 30, cancellationToken);

        var dead = ingest.State("dead");
        Assert.Multiple(() =>
        {
            Assert.That(frames.Select(f => f.Sequence), Is.EqualTo(Enumerable.Range(0, 30).Select(i => (long)i)));
            Assert.That(ingest.State("good").Reconnects, Is.Zero);
            Assert.That(dead.Frames, Is.Zero);
            Assert.That(dead.Errors(DiagnosticKind.ConnectionRefused), Is.GreaterThanOrEqualTo(2));
            Assert.That(ingest.Status.Lines(), Has.Count.EqualTo(2));
        });
    }
}
