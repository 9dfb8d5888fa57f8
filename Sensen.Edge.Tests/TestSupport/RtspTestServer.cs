using System.Diagnostics;

namespace Sensen.Edge.Tests.TestSupport;

/// <summary>
/// A real RTSP camera on loopback: GStreamer's RTSP server (Debian's gir1.2-gst-rtsp-server-1.0)
/// driven by <c>Sensen.Edge/Demo/rtsp_server.py</c> under <c>/usr/bin/python3</c>, serving
/// one Matroska clip at <c>rtsp://127.0.0.1:PORT/cam</c>. It can be paused (SIGSTOP) to play a
/// stalled camera, and stopped and started again on the same port to play a reboot.
/// </summary>
internal sealed class RtspTestServer : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";

    // signal(7), x86-64 and arm64.
    private const int SigStop = 19;
    private const int SigCont = 18;

    private readonly string _file;
    private readonly string _kind;
    private readonly string? _user;
    private readonly string? _password;
    private readonly string? _tlsPem;
    private Process? _process;

    private RtspTestServer(string file, string kind, string? user, string? password, int port, string? tlsPem)
    {
        _tlsPem = tlsPem;
        _file = file;
        _kind = kind;
        _user = user;
        _password = password;
        Port = port;
    }

    public static string Script => Path.Combine(RepoPaths.Root, "Sensen.Edge", "Demo", "rtsp_server.py");

    public int Port { get; }

    public string Url => $"{(_tlsPem is null ? "rtsp" : "rtsps")}://127.0.0.1:{Port}/cam";

    /// <summary>
    /// Starts a server for an H.264 (<paramref name="kind"/> "h264") or audio-only ("audio") Matroska file;
    /// with <paramref name="tlsPem"/> (certificate and key in one PEM file) it serves rtsps://.
    /// </summary>
    public static async Task<RtspTestServer> StartAsync(string file, CancellationToken cancellationToken, string kind = "h264", string? user = null, string? password = null, string? tlsPem = null)
    {
        var server = new RtspTestServer(file, kind, user, password, FreePort.Next(), tlsPem);
        await server.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>(Re)starts the server process on the same port.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Script, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--file", _file, "--kind", _kind })
        {
            start.ArgumentList.Add(a);
        }

        if (_user is not null)
        {
            start.ArgumentList.Add("--user");
            start.ArgumentList.Add(_user);
            start.ArgumentList.Add("--password");
            start.ArgumentList.Add(_password ?? "");
        }

        if (_tlsPem is not null)
        {
            start.ArgumentList.Add("--tls-pem");
            start.ArgumentList.Add(_tlsPem);
        }

        var process = Process.Start(start)!;
        _process = process;
        _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null || !line.StartsWith("READY", StringComparison.Ordinal))
        {
            await StopAsync();
            throw new InvalidOperationException($"RTSP test server did not start: '{line}'");
        }
    }

    /// <summary>Stops the server abruptly (SIGKILL), as a camera losing power would.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
        }
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open, nothing flows.</summary>
    public void Freeze() => Posix.Signal(_process!.Id, SigStop);

    /// <summary>Thaws a frozen server (SIGCONT).</summary>
    public void Thaw() => Posix.Signal(_process!.Id, SigCont);

    public async ValueTask DisposeAsync() => await StopAsync();
}
