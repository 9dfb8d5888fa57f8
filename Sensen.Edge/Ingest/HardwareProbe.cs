using System.Diagnostics;

namespace Sensen.Edge.Ingest;

/// <summary>
/// Finds out once what hardware decoding this machine offers: ffmpeg's built-in hwaccels
/// (<c>ffmpeg -hwaccels</c>), the Jetson and V4L2 mem2mem decoders (<c>ffmpeg -decoders</c>), the device nodes and
/// the V4L2 mem2mem devices (<see cref="V4l2Devices"/>).
/// </summary>
internal sealed class HardwareProbe
{
    private static readonly string[] DeviceNodes = [HwaccelResolver.NvidiaDevice, HwaccelResolver.RenderNode];
    private readonly string _ffmpeg;
    private readonly Lazy<Task<HardwareCapabilities>> _capabilities;

    public HardwareProbe(IngestTuning tuning)
    {
        _ffmpeg = tuning.FfmpegPath;
        _capabilities = new(() => ProbeAsync(CancellationToken.None));
    }

    public Task<HardwareCapabilities> GetAsync(CancellationToken cancellationToken) => _capabilities.Value.WaitAsync(cancellationToken);

    /// <summary>The names listed under the header line of <c>ffmpeg -hwaccels</c>.</summary>
    public static IReadOnlySet<string> ParseHwaccels(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SkipWhile(l => !l.StartsWith("Hardware acceleration methods", StringComparison.Ordinal))
            .Skip(1)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The decoder names in <c>ffmpeg -decoders</c> lines such as <c> V....D h264_nvv4l2dec  NVIDIA …</c>.</summary>
    public static IReadOnlySet<string> ParseDecoders(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length >= 2 && p[0].Length == 6 && p[0][0] is 'V' or 'A' or 'S')
            .Select(p => p[1])
            .ToHashSet(StringComparer.Ordinal);

    private async Task<HardwareCapabilities> ProbeAsync(CancellationToken cancellationToken)
    {
        var hwaccels = ParseHwaccels(await RunAsync("-hwaccels", cancellationToken));
        var decoders = ParseDecoders(await RunAsync("-decoders", cancellationToken));
        var devices = DeviceNodes.Where(File.Exists).ToHashSet(StringComparer.Ordinal);
        return new HardwareCapabilities(hwaccels, decoders, devices) { M2mDevices = V4l2Devices.FindM2m() };
    }

    private async Task<string> RunAsync(string what, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_ffmpeg)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-hide_banner");
        start.ArgumentList.Add(what);
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            var stdout = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await stderr;
            await process.WaitForExitAsync(cancellationToken);
            return stdout;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No ffmpeg at all: no hardware either; the frame source reports the missing binary.
            return "";
        }
    }
}
