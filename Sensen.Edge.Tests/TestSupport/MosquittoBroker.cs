using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Sensen.Edge.Tests.TestSupport;

/// <summary>
/// A real Debian mosquitto on loopback with TLS (certificates made with openssl by <see cref="TestPki"/>),
/// client certificates required, the certificate's CN as the user name, and an ACL: each device publishes
/// only under <c>PREFIX/ITS-ID/evidence/#</c> and reads only <c>PREFIX/ITS-ID/ack</c>; the receivers read
/// every device's evidence and write every ack. Persistence on, so a restart keeps sessions as far as
/// mosquitto saved them. One per fixture (<c>OneTimeSetUp</c>), shared by its tests.
/// </summary>
internal sealed class MosquittoBroker : IDisposable
{
    public const string Binary = "/usr/sbin/mosquitto";
    public const string Prefix = "sensen";

    private readonly string _configPath;
    private Process? _process;
    private readonly StringBuilder _log = new();

    private MosquittoBroker(TestPki pki, int port, string configPath)
    {
        Pki = pki;
        Port = port;
        _configPath = configPath;
    }

    public TestPki Pki { get; }

    public int Port { get; }

    public string Url => $"mqtts://localhost:{Port}";

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <param name="receivers">Client ids (certificate CNs) that act as city receivers.</param>
    /// <param name="maxPacketSize">mosquitto's <c>max_packet_size</c>, announced in CONNACK; null for none.</param>
    /// <param name="operators">Client ids of control-room operators: they write every device's commands and read everything under the prefix, and publish signal phases on <c>signals/#</c>.</param>
    public static async Task<MosquittoBroker> StartAsync(IReadOnlyList<string> receivers, int? maxPacketSize = null, IReadOnlyList<string>? operators = null)
    {
        var pki = TestPki.Create();
        var port = FreePort.Next();
        var directory = pki.Directory;
        var acl = new StringBuilder()
            .AppendLine("# Devices: their own prefix only (pattern %u is the certificate CN).")
            .AppendLine($"pattern write {Prefix}/%u/evidence/#")
            .AppendLine($"pattern read {Prefix}/%u/ack")
            .AppendLine("# Telemetry, availability (retained, and the last will), commands and their results (docs/TELEMETRY.md).")
            .AppendLine($"pattern write {Prefix}/%u/availability")
            .AppendLine($"pattern write {Prefix}/%u/telemetry")
            .AppendLine($"pattern write {Prefix}/%u/commands/result")
            .AppendLine($"pattern read {Prefix}/%u/commands")
            .AppendLine("# Signal-controller feeds for red-light rules.")
            .AppendLine("pattern read signals/#");
        foreach (var receiver in receivers)
        {
            acl.AppendLine($"user {receiver}")
                .AppendLine($"topic read {Prefix}/+/evidence/#")
                .AppendLine($"topic write {Prefix}/+/ack");
        }

        foreach (var op in operators ?? [])
        {
            acl.AppendLine($"user {op}")
                .AppendLine($"topic write {Prefix}/+/commands")
                .AppendLine($"topic read {Prefix}/#")
                .AppendLine("topic write signals/#");
        }

        File.WriteAllText(Path.Combine(directory, "acl"), acl.ToString());
        Directory.CreateDirectory(Path.Combine(directory, "persistence"));
        var config = new StringBuilder()
            .AppendLine("per_listener_settings false")
            .AppendLine("allow_anonymous false")
            .AppendLine($"acl_file {Path.Combine(directory, "acl")}")
            .AppendLine("persistence true")
            .AppendLine($"persistence_location {Path.Combine(directory, "persistence")}/")
            .AppendLine("autosave_interval 1")
            .AppendLine("max_queued_messages 100000")
            .AppendLine("log_dest stdout")
            .AppendLine("log_type error")
            .AppendLine("log_type warning")
            .AppendLine("log_type notice")
            // Running as root, mosquitto would otherwise switch to the 'mosquitto' user and lose the temp files.
            .AppendLine("user root")
            .AppendLine($"listener {port} 127.0.0.1")
            .AppendLine($"cafile {pki.CaPath}")
            .AppendLine($"certfile {pki.ServerCertPath}")
            .AppendLine($"keyfile {pki.ServerKeyPath}")
            .AppendLine("require_certificate true")
            .AppendLine("use_identity_as_username true")
            .AppendLine("tls_version tlsv1.2");
        if (maxPacketSize is { } max)
        {
            config.AppendLine($"max_packet_size {max}");
        }

        var configPath = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllText(configPath, config.ToString());
        var broker = new MosquittoBroker(pki, port, configPath);
        await broker.LaunchAsync();
        return broker;
    }

    /// <summary>SIGKILL: no goodbye, no final save; what the last autosave wrote is what survives.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            Posix.Signal(process.Id, Posix.SigKill);
            process.WaitForExit(10_000);
        }
    }

    public async Task RestartAsync()
    {
        Kill();
        await LaunchAsync();
    }

    private async Task LaunchAsync()
    {
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(_configPath);
        var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {process.ExitCode}: {Log}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet: poll the port, the only readiness signal mosquitto gives.
                await Task.Delay(50);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        Pki.Dispose();
    }
}
