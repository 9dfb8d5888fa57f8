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
    [CancelAfter(30_000)]
    public async Task Daemon_CameraDown_UsesUnderTwoPercentOfACore(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("sensen-edge-down-");
        try
        {
            var config = Path.Combine(directory.FullName, "edge.yaml");
            await File.WriteAllTextAsync(
                config,
                $"device:\n  id: unit-test\n  state_directory: {directory.FullName}\ncameras:\n  - id: dead\n    url: rtsp://127.0.0.1:{FreePort.Next()}/cam\n    hwaccel: none\nuplink:\n  broker: mqtts://127.0.0.1:8883\n",
                cancellationToken);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { RepoPaths.DaemonDll, "run", "--config", config, "--stop-after", "10" })
            {
                start.ArgumentList.Add(a);
            }

            using var daemon = Process.Start(start)!;
            var stderr = daemon.StandardError.ReadToEndAsync(cancellationToken);
            var stdout = daemon.StandardOutput.ReadToEndAsync(cancellationToken);

            // A measurement window, not a wait for a condition: start-up (JIT) is over after 3 s,
            // and the camera has been refused a few times and is waiting out its back-off.
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var before = CpuTicks(daemon.Id);
            var wall = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            var ticks = CpuTicks(daemon.Id) - before;
            var share = ticks / 100.0 / wall.Elapsed.TotalSeconds;
            await daemon.WaitForExitAsync(cancellationToken);

            // USER_HZ is 100 on Linux: ticks are hundredths of a second of CPU.
            Assert.That(share, Is.LessThan(0.02), $"{share:P2} of a core");
            Assert.That(await stderr, Does.Contain("ConnectionRefused"));
            Assert.That(await stdout, Does.Contain("ingest dead: stopped, software, 0 frames"));
            Assert.That(daemon.ExitCode, Is.Zero, "a dead camera is not a failed daemon");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>utime + stime of a process, from /proc/PID/stat (fields 14 and 15, proc(5)).</summary>
    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
    }
}
