using System.Globalization;
using Sensen.Edge.Configuration;
using Sensen.Edge.Pipeline;

namespace Sensen.Edge.Ingest;

/// <summary>Checks of one camera's ingest keys (<c>cameras[i]</c>: id, url, credential, transport).</summary>
internal static class CameraOptionsValidator
{
    /// <param name="path">The camera's key path, <c>cameras[i]</c>.</param>
    public static void Validate(ValidationContext context, string path, CameraOptions camera)
    {
        context.CheckIdentifier($"{path}.id", camera.Id);
        CheckUrl(context, $"{path}.url", camera);
        context.CheckCredentialName($"{path}.credential", camera.Credential);
        CheckFrameMemory(context, $"{path}.analysis", camera);
    }

    /// <summary>The camera's frame pool, as the pipeline will size it, against the per-camera budget.</summary>
    private static void CheckFrameMemory(ValidationContext context, string path, CameraOptions camera)
    {
        var recording = context.Config.Options.Recording;
        var budget = FrameBudget.For(camera.Frames(), recording.PreRollSeconds, new PipelineTuning());
        if (budget.Megabytes > recording.FrameMemoryMegabytesPerCamera)
        {
            context.Error(path, $"frame buffers need {budget.Megabytes} MiB ({budget}), more than recording.frame_memory_megabytes_per_camera allows ({recording.FrameMemoryMegabytesPerCamera}); lower the analysis width, height or fps, or recording.pre_roll_seconds, or raise the budget");
        }

        // A clip opens with the whole ring copied in, and the clip path holds its look-ahead before it lets a frame go.
        var lookAhead = context.Config.Options.Privacy.LookAheadFrames;
        var clipFrames = budget.PreRoll + lookAhead + 1;
        var clipMegabytes = (((long)clipFrames * budget.FrameBytes) + (1L << 20) - 1) >> 20;
        if (clipMegabytes > recording.ClipMemoryMegabytesPerCamera)
        {
            context.Error(path, string.Create(CultureInfo.InvariantCulture, $"clip memory needs at least {clipMegabytes} MiB ({clipFrames} frames of {camera.Frames().Width}x{camera.Frames().Height} bgr24: {budget.PreRoll} pre-roll + {lookAhead} look-ahead + 1), more than recording.clip_memory_megabytes_per_camera allows ({recording.ClipMemoryMegabytesPerCamera}); raise it, or lower the analysis size or fps, recording.pre_roll_seconds or privacy.look_ahead_frames"));
        }
    }

    private static void CheckUrl(ValidationContext context, string path, CameraOptions camera)
    {
        if (!Uri.TryCreate(camera.Url, UriKind.Absolute, out var uri))
        {
            context.Error(path, $"'{camera.Url}' is not a URL (write rtsp://host:port/path or file:///path/clip.mp4)");
            return;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            // Never echo the value: it may hold the password.
            context.Error(path, "user name or password written in the URL; put 'user:password' in a credential file and name it with 'credential'");
            return;
        }

        switch (uri.Scheme)
        {
            case "rtsp" or "rtsps":
                if (string.IsNullOrEmpty(uri.Host))
                {
                    context.Error(path, $"'{camera.Url}' names no host");
                }
                else if (uri.Scheme == "rtsps" && camera.Transport == RtspTransport.Udp)
                {
                    // ffmpeg carries rtsps:// media interleaved in the TLS connection only.
                    context.Error(path.Replace(".url", ".transport", StringComparison.Ordinal), "rtsps:// streams travel inside the TLS connection; transport: udp is not possible (use tcp)");
                }

                break;
            case "file":
                if (!File.Exists(uri.LocalPath))
                {
                    context.Error(path, $"replay file '{uri.LocalPath}' does not exist");
                }

                break;
            default:
                context.Error(path, $"scheme '{uri.Scheme}' is not supported (use rtsp://, rtsps:// or file://)");
                break;
        }
    }
}
