using System.CommandLine;
using Sensen.Edge.Cli;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Ingest;

/// <summary>
/// <c>sensen-edge probe URL [--seconds N] [--json] [--credential NAME]</c>: the installer's tool.
/// Exit codes: 0 frames arrived, 69 unreachable, 77 authentication refused, 65 no usable video, 66 replay file missing.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("URL") { Description = "rtsp://host[:port]/path, rtsps://… or file:///path/clip.mp4 (no password in it)." };
        var seconds = new Option<double>("--seconds") { Description = "Seconds to count frames after the first.", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var credential = new Option<string?>("--credential") { Description = "Credential file (user:password) in the credentials directory." };
        var directory = new Option<string?>("--credentials-directory") { Description = "Where credential files are (default: $CREDENTIALS_DIRECTORY, then /etc/sensen-edge/credentials)." };
        var hwaccel = YamlEnumOption.Create("--hwaccel", "Decoder, as cameras[].hwaccel in the configuration.", HardwareAcceleration.Auto);
        var transport = YamlEnumOption.Create("--transport", "RTSP transport, as cameras[].transport.", RtspTransport.Tcp);
        var command = new Command("probe", "Connect to a camera and report its stream (installer's tool).")
        {
            url, seconds, json, credential, directory, hwaccel, transport,
        };
        command.SetAction((result, cancellationToken) => ExecuteAsync(
            new ProbeSettings
            {
                Url = result.GetValue(url)!,
                Seconds = result.GetValue(seconds),
                Json = result.GetValue(json),
                Credential = result.GetValue(credential),
                CredentialsDirectory = result.GetValue(directory),
                Hwaccel = YamlEnumOption.Parse<HardwareAcceleration>(result.GetValue(hwaccel)!),
                Transport = YamlEnumOption.Parse<RtspTransport>(result.GetValue(transport)!),
            },
            new IngestTuning(),
            Console.Out,
            Console.Error,
            cancellationToken));
        return command;
    }

    internal static async Task<int> ExecuteAsync(ProbeSettings settings, IngestTuning tuning, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("rtsp" or "rtsps" or "file"))
        {
            await stderr.WriteLineAsync($"sensen-edge probe: '{UrlRedactor.RedactUserInfo(settings.Url)}' is not an rtsp://, rtsps:// or file:// URL");
            return ExitCodes.Usage;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            await stderr.WriteLineAsync("sensen-edge probe: user name or password written in the URL; put 'user:password' in a credential file and pass --credential NAME");
            return ExitCodes.Usage;
        }

        if (uri.IsFile && !File.Exists(uri.LocalPath))
        {
            // EX_NOINPUT, as for a missing configuration file: the input is not there, nothing was probed.
            await stderr.WriteLineAsync($"sensen-edge probe: replay file '{uri.LocalPath}' does not exist");
            return ExitCodes.NoInput;
        }

        if (settings.Seconds is <= 0 or > 600)
        {
            await stderr.WriteLineAsync("sensen-edge probe: --seconds must be between 0 and 600");
            return ExitCodes.Usage;
        }

        CameraCredential? credential;
        try
        {
            credential = ProbeRunner.ReadCredential(settings);
        }
        catch (CredentialException e)
        {
            await stderr.WriteLineAsync($"sensen-edge probe: {e.Message}");
            return ExitCodes.NoPermission;
        }

        var runner = new ProbeRunner(new FfmpegFrameSourceFactory(tuning), new HardwareProbe(tuning), TimeProvider.System);
        var report = await runner.RunAsync(uri, credential, settings, cancellationToken);
        if (settings.Json)
        {
            await stdout.FlushAsync(cancellationToken);
            using var buffer = new MemoryStream();
            report.WriteJson(buffer);
            await stdout.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
        else
        {
            report.WriteText(stdout);
        }

        return report.ExitCode;
    }
}
