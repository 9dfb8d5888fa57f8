using System.Text.Json;
using Sensen.Edge.Cli;

namespace Sensen.Edge.Ingest;

/// <summary>What the probe found, and the exit code that sums it up.</summary>
internal sealed record ProbeReport
{
    public required string Url { get; init; }

    public StreamInfo? Stream { get; init; }

    public required DecoderChoice Decoder { get; init; }

    public long Frames { get; init; }

    /// <summary>Seconds over which <see cref="MeasuredFps"/> was measured.</summary>
    public double Seconds { get; init; }

    /// <summary>Frames per second delivered after the warm-up (the first frames arrive in a burst from ffmpeg's probing).</summary>
    public double? MeasuredFps { get; init; }

    /// <summary>Why no frame came, when none did.</summary>
    public DiagnosticKind? Failure { get; init; }

    public string? Detail { get; init; }

    public IReadOnlyDictionary<DiagnosticKind, long> Errors { get; init; } = new Dictionary<DiagnosticKind, long>();

    public int ExitCode => Frames > 0 ? ExitCodes.Ok : ExitCodeFor(Failure);

    /// <summary>
    /// sysexits(3) codes an installer's script can tell apart: the camera cannot be reached
    /// (EX_UNAVAILABLE 69), it refused the credentials (EX_NOPERM 77), or it sent no usable video
    /// (EX_DATAERR 65).
    /// </summary>
    public static int ExitCodeFor(DiagnosticKind? failure) => failure switch
    {
        DiagnosticKind.ConnectionRefused or DiagnosticKind.UnknownHost or DiagnosticKind.NotFound or DiagnosticKind.Timeout
            or DiagnosticKind.ConnectionLost or DiagnosticKind.Tls or DiagnosticKind.Stalled => ExitCodes.Unavailable,
        DiagnosticKind.Unauthorized => ExitCodes.NoPermission,
        DiagnosticKind.NoVideo or DiagnosticKind.CorruptStream or DiagnosticKind.MalformedOutput => ExitCodes.DataError,
        _ => ExitCodes.Failure,
    };

    public void WriteText(TextWriter writer)
    {
        writer.WriteLine($"url:          {Url}");
        writer.WriteLine($"codec:        {(Stream is null ? "unknown" : Stream.Codec + (Stream.Profile is null ? "" : $" ({Stream.Profile})"))}");
        writer.WriteLine($"resolution:   {(Stream is null ? "unknown" : $"{Stream.Width}x{Stream.Height}")}");
        writer.WriteLine($"stream fps:   {(Stream?.Fps is { } f ? f.ToString("0.##") : "unknown")}");
        writer.WriteLine($"measured fps: {(MeasuredFps is { } m ? $"{m:0.0} (over {Seconds:0.0} s after warm-up; {Frames} frames in all)" : $"n/a ({Frames} frames)")}");
        writer.WriteLine($"decoder:      {(Decoder.IsHardware ? "hardware, " + Decoder.Name : "software")} ({Decoder.Reason})");
        writer.WriteLine($"errors:       {(Errors.Count == 0 ? "none" : string.Join(", ", Errors.Select(e => $"{e.Key} x{e.Value}")))}");
        writer.WriteLine($"result:       {(ExitCode == ExitCodes.Ok ? "ok" : $"failed, {Failure}: {Detail}")}");
    }

    public void WriteJson(Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("url", Url);
        json.WriteBoolean("ok", ExitCode == ExitCodes.Ok);
        json.WriteNumber("exit_code", ExitCode);
        if (Stream is not null)
        {
            json.WriteString("codec", Stream.Codec);
            if (Stream.Profile is not null)
            {
                json.WriteString("profile", Stream.Profile);
            }

            json.WriteNumber("width", Stream.Width);
            json.WriteNumber("height", Stream.Height);
            if (Stream.Fps is { } fps)
            {
                json.WriteNumber("stream_fps", fps);
            }
        }

        if (MeasuredFps is { } measured)
        {
            json.WriteNumber("measured_fps", Math.Round(measured, 2));
        }

        json.WriteNumber("frames", Frames);
        json.WriteString("decoder", Decoder.IsHardware ? "hardware" : "software");
        json.WriteString("hwaccel", Decoder.Kind.ToString().ToLowerInvariant());
        json.WriteString("decoder_reason", Decoder.Reason);
        if (Failure is { } failure)
        {
            json.WriteString("failure", failure.ToString());
            json.WriteString("detail", Detail);
        }

        json.WriteStartObject("errors");
        foreach (var (kind, count) in Errors)
        {
            json.WriteNumber(kind.ToString(), count);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
