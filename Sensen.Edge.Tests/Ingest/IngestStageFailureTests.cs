using System.Diagnostics;
using Sensen.Edge.Ingest;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>Failures of the decoder process itself: missing binary, output cut mid-frame, and the cost of waiting.</summary>
public sealed class IngestStageFailureTests
{
    [Test]
    [CancelAfter(20_000)]
    public async Task Stage_DecoderWritesHalfAFrame_MalformedOutputAndRestart(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("sensen-edge-fake-ffmpeg-");
        try
        {
            // Plays an ffmpeg that dies 1000 bytes into a 160x120x3 frame.
            var script = Path.Combine(directory.FullName, "ffmpeg");
            await File.WriteAllTextAsync(script, "#!/bin/sh\nhead -c 1000 /dev/zero\nexit 0\n", cancellationToken);
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            var tuning = IngestHarness.FastTuning with { FfmpegPath = script };
            await using var ingest = new IngestHarness([IngestHarness.Camera("gate", "rtsp://127.0.0.1:9/cam")], tuning: tuning);
            await ingest.StartAsync(cancellationToken);
            var state = ingest.State("gate");

            await Eventually.AssertAsync(() => state.Errors(DiagnosticKind.MalformedOutput) >= 2, TimeSpan.FromSeconds(10), () => state.Describe(), cancellationToken);

            Assert.That(state.Frames, Is.Zero);
            Assert.That(state.Reconnects, Is.GreaterThanOrEqualTo(1));
            Assert.That(ingest.Logs.Text, Does.Contain("output ended 1000 bytes into a 57600-byte frame"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Stage_NoFfmpegBinary_ReportedAndRetried(CancellationToken cancellationToken)
    {
        var tuning = IngestHarness.FastTuning with { FfmpegPath = "/nonexistent/ffmpeg" };
        await using var ingest = new IngestHarness([IngestHarness.Camera("gate", "rtsp://127.0.0.1:9/cam")], tuning: tuning);
        await ingest.StartAsync(cancellationToken);
        var state = ingest.State("gate");

        await Eventually.AssertAsync(() => state.Errors(DiagnosticKind.Other) >= 2, TimeSpan.FromSeconds(10), () => state.Describe(), cancellationToken);

        Assert.That(ingest.Logs.Text, Does.Contain("cannot run ffmpeg ('/nonexistent/ffmpeg')"));
    }

    [Test]
    [CancelAfter(40_000)]
    public async Task Daemon_CameraDown_UsesUnderTwoPercentOfACore(CancellationToken cancellationToken)
    {
        // The example configuration with no detectors or rules (no models needed: this is about
        // ingest), its camera pointed at a port where nothing listens.
        var port = FreePort.Next();
        using var config = RunnableConfig.FromExample(yaml =>
        {
            yaml = yaml.Replace("rtsp://127.0.0.1:8554/north", $"rtsp://127.0.0.1:{port}/north", StringComparison.Ordinal);
            return yaml[..yaml.IndexOf("    zones:", StringComparison.Ordinal)] + yaml[yaml.IndexOf("\nvault:", StringComparison.Ordinal)..];
        });
        config.WriteCredential("cam-north", "viewer:not-used");
        using var daemon = DaemonProcess.Start(["run", "--config", config.ConfigPath, "--stop-after", "20"]);

        // The window opens once start-up is over (the camera has been refused, so the daemon is waiting
        // out its back-off) plus a second for the JIT's tier-up to settle; on a loaded machine start-up
        // alone can take longer than a fixed delay, and its CPU would be counted against the idle loop.
        await Eventually.AssertAsync(() => daemon.StandardError.Contains("camera cam-north: ConnectionRefused", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), () => "the camera was never refused: " + daemon.StandardError, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        Assert.That(File.Exists($"/proc/{daemon.Id}/stat"), Is.True, () => "the daemon ended early: " + daemon.StandardError);
        var before = CpuTicks(daemon.Id);
        var wall = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        var ticks = CpuTicks(daemon.Id) - before;
        var share = ticks / 100.0 / wall.Elapsed.TotalSeconds;
        var exitCode = await daemon.WaitForExitAsync(cancellationToken);

        // USER_HZ is 100 on Linux: ticks are hundredths of a second of CPU.
        Assert.That(share, Is.LessThan(0.02), $"{share:P2} of a core");
        Assert.That(daemon.StandardError, Does.Contain("camera cam-north: ConnectionRefused"));
        Assert.That(daemon.StandardOutput, Does.Contain("ingest cam-north: stopped, software, 0 frames"));
        Assert.That(exitCode, Is.Zero, "a dead camera is not a failed daemon: " + daemon.StandardError);
    }

    /// <summary>utime + stime of a process, from /proc/PID/stat (fields 14 and 15, proc(5)).</summary>
    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
    }
}
