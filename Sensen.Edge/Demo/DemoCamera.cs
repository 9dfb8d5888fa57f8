using System.Diagnostics;
using System.Globalization;

namespace Sensen.Edge.Demo;

/// <summary>
/// The demo's camera: the composed scene served over RTSP by GStreamer's RTSP server (Debian's
/// gir1.2-gst-rtsp-server-1.0 under <c>/usr/bin/python3</c>, the script the RTSP tests run) on a free loopback
/// port when that server is installed, as a real camera would deliver it; the scene file itself (a realtime
/// <c>file://</c> replay) otherwise. The served copy begins with <see cref="RtspLeadInSeconds"/> of the scene's first
/// frame held still: ffmpeg probes a live stream for about 5 s and then hands over what it buffered in one burst, which
/// the pipeline (rightly) drops before detection; the scene proper then arrives at its pace. It ends with
/// <see cref="RtspTailSeconds"/> of the last frame (only pedestrians are left in it), and the demo switches the
/// camera off once the scene has played (<see cref="SwitchOffAsync"/>): a live stream that ends is reconnected to,
/// and the server would play the scene, and its violations, again.
/// </summary>
internal sealed class DemoCamera : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";
    public const double RtspLeadInSeconds = 8;
    public const double RtspTailSeconds = 40;
    private const string ScriptResource = "Sensen.Edge.Demo.rtsp_server.py";

    private Process? _server;

    private DemoCamera(string url, string description, Process? server)
    {
        Url = url;
        Description = description;
        _server = server;
        LeadInSeconds = server is null ? 0 : RtspLeadInSeconds;
    }

    /// <summary>Seconds of stream before the scene's first frame.</summary>
    public double LeadInSeconds { get; }

    /// <summary>The camera's <c>url</c> in the configuration.</summary>
    public string Url { get; }

    /// <summary>One line: how the scene reaches the daemon, and why.</summary>
    public string Description { get; }

    /// <param name="mode"><c>auto</c> (RTSP when GStreamer's RTSP server is installed), <c>rtsp</c> (it must be) or <c>file</c>.</param>
    public static async Task<DemoCamera> StartAsync(string clip, double fps, string directory, string ffmpeg, string mode, CancellationToken cancellationToken)
    {
        var fileUrl = new Uri(Path.GetFullPath(clip)).AbsoluteUri;
        if (mode == "file")
        {
            return new DemoCamera(fileUrl, "file input (--camera file)", null);
        }

        if (!await RtspServerInstalledAsync(cancellationToken).ConfigureAwait(false))
        {
            const string missing = "GStreamer's RTSP server is not installed: Debian gir1.2-gst-rtsp-server-1.0 and python3-gi";
            return mode == "rtsp"
                ? throw new SceneException($"--camera rtsp: {missing}")
                : new DemoCamera(fileUrl, $"file input ({missing})", null);
        }

        var c = CultureInfo.InvariantCulture;
        var served = Path.Combine(directory, "scene-rtsp.mkv");
        await SceneFfmpeg.ReadAsync(ffmpeg,
        [
            "-i", clip, "-vf", string.Create(c, $"tpad=start_mode=clone:start_duration={RtspLeadInSeconds}:stop_mode=clone:stop_duration={RtspTailSeconds}"),
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-g", ((int)Math.Ceiling(fps)).ToString(c), "-bf", "0", "-pix_fmt", "yuv420p",
            "-f", "matroska", served,
        ], cancellationToken).ConfigureAwait(false);

        var script = Path.Combine(directory, "rtsp_server.py");
        await using (var resource = typeof(DemoCamera).Assembly.GetManifestResourceStream(ScriptResource)
            ?? throw new InvalidOperationException($"resource {ScriptResource} is missing from the build"))
        await using (var file = File.Create(script))
        {
            await resource.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        var port = DemoBroker.FreeLoopbackPort();
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { script, "--port", port.ToString(c), "--file", served, "--kind", "h264" })
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start) ?? throw new SceneException($"{Python} did not start");
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        string? line = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            line = "no answer in 15 s";
        }
        finally
        {
            if (line is null || !line.StartsWith("READY", StringComparison.Ordinal))
            {
                await StopAsync(process).ConfigureAwait(false);
            }
        }

        if (line is null || !line.StartsWith("READY", StringComparison.Ordinal))
        {
            throw new SceneException($"GStreamer's RTSP server did not start ('{line}'): {Last(await errors.ConfigureAwait(false))}");
        }

        var url = string.Create(c, $"rtsp://127.0.0.1:{port}/cam");
        return new DemoCamera(url, $"RTSP from GStreamer's RTSP server ({url})", process);
    }

    /// <summary>Whether <c>/usr/bin/python3</c> can load GStreamer's RTSP server bindings.</summary>
    public static async Task<bool> RtspServerInstalledAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Python))
        {
            return false;
        }

        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import gi; gi.require_version('Gst', '1.0'); gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer");
        using var process = Process.Start(start);
        if (process is null)
        {
            return false;
        }

        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(cancellationToken), process.StandardError.ReadToEndAsync(cancellationToken));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            await drain.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return false;
        }

        return process.ExitCode == 0;
    }

    private static string Last(string stderr) =>
        string.Join(" | ", stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));

    private static async Task StopAsync(Process process)
    {
        try
        {
            // The script stops when its stdin closes; a server that does not is killed.
            process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>Stops serving (a camera switched off): the daemon's ingest then waits and retries, as it would for a real one.</summary>
    public async Task SwitchOffAsync()
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await StopAsync(server).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await SwitchOffAsync().ConfigureAwait(false);
}
