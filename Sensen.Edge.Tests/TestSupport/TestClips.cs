using System.Collections.Concurrent;
using System.Diagnostics;

namespace Sensen.Edge.Tests.TestSupport;

/// <summary>
/// Video clips made with ffmpeg (testsrc2, libx264) for the tests, generated once per test run
/// into a temporary directory and shared by the tests that need the same clip.
/// </summary>
internal static class TestClips
{
    private static readonly string[] CommonArguments = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"];
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Made = new(StringComparer.Ordinal);

    public static string Directory { get; } = Path.Combine(Path.GetTempPath(), $"sensen-edge-clips-{Environment.ProcessId}");

    /// <summary>320x240 at 15 fps, H.264 in Matroska, 30 s (longer than any test streams it).</summary>
    public static Task<string> SteadyAsync(CancellationToken cancellationToken) =>
        MakeAsync("steady.mkv", async path => await EncodeAsync(path, "testsrc2=size=320x240:rate=15", 30, "matroska", cancellationToken), cancellationToken);

    /// <summary>320x240 at 15 fps, H.264 in MP4, 3 s: a replay file.</summary>
    public static Task<string> ShortMp4Async(CancellationToken cancellationToken) =>
        MakeAsync("short.mp4", async path => await EncodeAsync(path, "testsrc2=size=320x240:rate=15", 3, "mp4", cancellationToken), cancellationToken);

    /// <summary>A sine tone in Opus, no video at all, 30 s.</summary>
    public static Task<string> AudioOnlyAsync(CancellationToken cancellationToken) =>
        MakeAsync("audio.mka", async path => await FfmpegAsync(cancellationToken, "-f", "lavfi", "-i", "sine=frequency=440:duration=30", "-c:a", "libopus", "-f", "matroska", path), cancellationToken);

    /// <summary>4 s at 320x240, then 26 s at 240x160, in one H.264 stream (new SPS mid-stream).</summary>
    public static Task<string> ResolutionChangeAsync(CancellationToken cancellationToken) =>
        MakeAsync("resize.mkv", async path =>
        {
            var first = path + ".1.h264";
            var second = path + ".2.h264";
            await EncodeAsync(first, "testsrc2=size=320x240:rate=15", 4, "h264", cancellationToken);
            await EncodeAsync(second, "testsrc2=size=240x160:rate=15", 26, "h264", cancellationToken);
            var joined = path + ".h264";
            await File.WriteAllBytesAsync(joined, [.. await File.ReadAllBytesAsync(first, cancellationToken), .. await File.ReadAllBytesAsync(second, cancellationToken)], cancellationToken);
            await FfmpegAsync(cancellationToken, "-r", "15", "-f", "h264", "-i", joined, "-c", "copy", "-f", "matroska", path);
        }, cancellationToken);

    /// <summary>
    /// The steady clip's H.264 with random bytes written over slice data every ~3 KB (after the first
    /// SPS/PPS), remuxed: a camera sending corrupted video. Seeded, so every run corrupts the same way.
    /// </summary>
    public static Task<string> CorruptedAsync(CancellationToken cancellationToken) =>
        MakeAsync("corrupt.mkv", async path =>
        {
            var clean = path + ".clean.h264";
            await EncodeAsync(clean, "testsrc2=size=320x240:rate=15", 30, "h264", cancellationToken);
            var bytes = await File.ReadAllBytesAsync(clean, cancellationToken);
            var random = new Random(7);
            for (var at = 4000; at < bytes.Length - 100; at += 3000)
            {
                var p = at + random.Next(1000);
                for (var i = 0; i < 40; i++)
                {
                    bytes[p + i] = (byte)random.Next(1, 256);
                }
            }

            var corrupt = path + ".h264";
            await File.WriteAllBytesAsync(corrupt, bytes, cancellationToken);
            await FfmpegAsync(cancellationToken, "-r", "15", "-f", "h264", "-i", corrupt, "-c", "copy", "-f", "matroska", path);
        }, cancellationToken);

    /// <summary>A still photograph with three faces (face-api's sample1.jpg) as 4 s of 10 fps H.264 in MP4.</summary>
    public static Task<string> FacesMp4Async(CancellationToken cancellationToken) =>
        MakeAsync("faces.mp4", async path => await FfmpegAsync(
            cancellationToken,
            "-loop", "1", "-framerate", "10", "-i", TestImages.FaceApiSample(1), "-t", "4", "-vf", "scale=1280:720",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "mp4", path), cancellationToken);

    public static void DeleteAll()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static async Task<string> MakeAsync(string name, Func<string, Task> make, CancellationToken cancellationToken)
    {
        var made = Made.GetOrAdd(name, n => new Lazy<Task<string>>(async () =>
        {
            System.IO.Directory.CreateDirectory(Directory);
            var path = Path.Combine(Directory, n);
            await make(path);
            return path;
        }));
        var clip = await made.Value.WaitAsync(cancellationToken);
        if (File.Exists(clip))
        {
            return clip;
        }

        // Deleted since (the ingest tests' set-up fixture deletes every clip once they ran): make it again.
        Made.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(name, made));
        return await MakeAsync(name, make, cancellationToken);
    }

    private static Task EncodeAsync(string path, string source, int seconds, string format, CancellationToken cancellationToken) =>
        FfmpegAsync(
            cancellationToken,
            "-f", "lavfi", "-i", source, "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // One slice per frame, a key frame every second, no B-frames: a typical camera stream.
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "15", "-bf", "0", "-pix_fmt", "yuv420p",
            "-f", format, path);

    private static async Task FfmpegAsync(CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in CommonArguments.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        // Clips are made for everyone: a cancelled test must not leave half a file behind.
        var errors = await process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(CancellationToken.None);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed: {errors}");
        }
    }
}
