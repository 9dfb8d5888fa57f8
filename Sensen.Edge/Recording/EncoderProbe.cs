using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Recording;

/// <summary>
/// Picks the clip encoder once per run. <c>auto</c> tries h264_nvenc (NVIDIA), h264_v4l2m2m (Jetson, Raspberry Pi
/// and other V4L2 mem-to-mem encoders) and libx264, in that order, each with a one-frame test encode to a pipe
/// (an encoder that is compiled in but has no device fails there, not in the first clip). A configured encoder
/// is probed the same way; if it fails, libx264 is used and the failure logged.
/// </summary>
internal sealed partial class EncoderProbe
{
    private static readonly ClipEncoder[] AutoOrder = [ClipEncoder.H264Nvenc, ClipEncoder.H264V4l2m2m, ClipEncoder.Libx264];

    private readonly string _ffmpeg;
    private readonly ILogger _logger;

    public EncoderProbe(string ffmpegPath, ILogger logger)
    {
        _ffmpeg = ffmpegPath;
        _logger = logger;
    }

    public async Task<ClipEncoder> ResolveAsync(ClipEncoder configured, CancellationToken cancellationToken)
    {
        var candidates = configured == ClipEncoder.Auto ? AutoOrder : [configured, ClipEncoder.Libx264];
        foreach (var candidate in candidates)
        {
            var failure = await TryAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                LogChosen(ClipEncoderArguments.Name(candidate), configured.ToString());
                return candidate;
            }

            if (configured != ClipEncoder.Auto && candidate == configured)
            {
                LogConfiguredFailed(ClipEncoderArguments.Name(candidate), failure);
            }
            else
            {
                LogCandidateFailed(ClipEncoderArguments.Name(candidate), failure);
            }
        }

        // Even libx264 failed: clips will fail and be counted; the daemon lives on (the live path is unaffected).
        LogNoneWorks();
        return ClipEncoder.Libx264;
    }

    /// <summary>null when a one-frame 256x256 encode gives MP4 bytes; else why not.</summary>
    internal async Task<string?> TryAsync(ClipEncoder encoder, CancellationToken cancellationToken)
    {
        try
        {
            await using var probe = FfmpegClipEncoder.Start(_ffmpeg, encoder, 256, 256, 10, 30);
            await probe.WriteBlankAsync(cancellationToken).ConfigureAwait(false);
            var bytes = await probe.FinishAsync(TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
            return bytes.Length > 0 ? null : "no output";
        }
        catch (ClipEncoderException e)
        {
            return e.Message;
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Clip encoder: {Encoder} (configured {Configured})")]
    private partial void LogChosen(string encoder, string configured);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Clip encoder {Encoder} is not usable here: {Reason}")]
    private partial void LogCandidateFailed(string encoder, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "The configured clip encoder {Encoder} failed its test encode ({Reason}); falling back to libx264")]
    private partial void LogConfiguredFailed(string encoder, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "No clip encoder works (not even libx264): every clip will fail until ffmpeg is fixed")]
    private partial void LogNoneWorks();
}
