using System.Net.Sockets;
using System.Text;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Hosting;

/// <summary>The daemon as systemd runs it: a real process, a real notify socket, a real SIGTERM.</summary>
public sealed class RunCommandTests
{
    [Test]
    public void Create_Help_SaysWhatThisBuildDoes()
    {
        using var output = new StringWriter();
        new System.CommandLine.RootCommand { Sensen.Edge.Hosting.RunCommand.Create() }.Parse(["run", "--help"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output });

        Assert.That(Sensen.Edge.Hosting.RunCommand.Create().Description, Is.EqualTo(
            "Run the daemon. This build decodes every camera, runs detection, tracks what it finds and evaluates the camera's rules "
            + "; a violation becomes a clip (pre-roll, event, post-roll) that passes the clip path's anonymiser, is encoded in memory and sealed into the vault "
            + "with its signed manifest, and the uplink delivers what the vault holds."));
        Assert.That(output.ToString(), Does.Contain("Run the daemon. This build decodes").And.Contain("sealed into the vault"));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Run_ExampleConfig_NotifiesReadyThenExitsZeroOnSigterm(CancellationToken cancellationToken)
    {
        using var config = RunnableConfig.FromExample();
        using var notify = new NotifySocket();
        using var daemon = DaemonProcess.Start(["run", "--config", config.ConfigPath], new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path });

        var messages = await notify.WaitForAsync("READY=1", cancellationToken);
        Assert.That(messages.Last(), Does.Contain("STATUS="));

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        daemon.Signal(Posix.SigTerm);
        var stopping = await notify.WaitForAsync("STOPPING=1", cancellationToken);
        var exitCode = await daemon.WaitForExitAsync(cancellationToken);

        Assert.That(exitCode, Is.Zero, daemon.StandardError);
        Assert.That(stopping, Is.Not.Empty);
        // The example's shutdown_timeout_seconds is 15; a clean stop must come well inside it.
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "stop took longer than the configured shutdown timeout");
        Assert.That(daemon.StandardError, Does.Contain("Ready:"));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Run_AbstractNotifySocket_IsNotified(CancellationToken cancellationToken)
    {
        // sd_notify(3): a NOTIFY_SOCKET starting with '@' is in the abstract namespace.
        var name = $"sensen-test-{Guid.NewGuid():N}";
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
        using var config = RunnableConfig.FromExample();
        using var daemon = DaemonProcess.Start(["run", "--config", config.ConfigPath], new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = "@" + name });

        var buffer = new byte[4096];
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        daemon.Signal(Posix.SigTerm);
        var exitCode = await daemon.WaitForExitAsync(cancellationToken);

        Assert.That(Encoding.UTF8.GetString(buffer, 0, n), Does.StartWith("READY=1\n"));
        Assert.That(exitCode, Is.Zero, daemon.StandardError);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Run_InvalidConfig_Exits78WithEveryError(CancellationToken cancellationToken)
    {
        using var config = RunnableConfig.FromExample(yaml => yaml.Replace("fps: 10", "fps: 0", StringComparison.Ordinal).Replace("transport: tcp", "transport: carrier-pigeon", StringComparison.Ordinal));

        var (exitCode, _, stderr) = await DaemonProcess.RunAsync(["run", "--config", config.ConfigPath], cancellationToken);

        Assert.That(exitCode, Is.EqualTo(78));
        Assert.That(stderr, Does.Contain("cameras[0].transport: 'carrier-pigeon' is not one of tcp, udp"));
        Assert.That(stderr, Does.Contain("cameras[0].analysis.fps: 0 is out of range (allowed 0.5 to 60)"));
        Assert.That(stderr, Does.Contain("2 error(s)"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Run_MissingVaultCredential_RefusesToStartWithoutReadiness(CancellationToken cancellationToken)
    {
        using var config = RunnableConfig.FromExample();
        config.DeleteCredential("vault-storage-key");
        using var notify = new NotifySocket();

        var (exitCode, _, stderr) = await DaemonProcess.RunAsync(["run", "--config", config.ConfigPath], cancellationToken, new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path });

        Assert.That(exitCode, Is.EqualTo(78), stderr);
        Assert.That(stderr, Does.Contain("vault-storage-key"));
        Assert.That(notify.Pending, Is.Zero, "a unit that cannot keep evidence must not report READY=1");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Run_MissingCredential_OneLineWithoutTheHostsStackTrace(CancellationToken cancellationToken)
    {
        using var config = RunnableConfig.FromExample();
        config.DeleteCredential("device-key");

        var (exitCode, stdout, stderr) = await DaemonProcess.RunAsync(["run", "--config", config.ConfigPath], cancellationToken);

        Assert.That(exitCode, Is.EqualTo(78), stderr);
        AssertOneClearLine(stdout + stderr, "device-key");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Run_UnreadableVault_OneLineWithoutTheHostsStackTrace(CancellationToken cancellationToken)
    {
        // Root reads any file whatever its mode, so "unreadable" is made the way a failing card makes it: garbage.
        using var config = RunnableConfig.FromExample();
        await File.WriteAllBytesAsync(Path.Combine(config.StateDirectory, "vault.db"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(64 * 1024), cancellationToken);

        var (exitCode, stdout, stderr) = await DaemonProcess.RunAsync(["run", "--config", config.ConfigPath], cancellationToken);

        Assert.That(exitCode, Is.Not.Zero.And.Not.EqualTo(1).And.Not.EqualTo(70), "a classified vault failure has its own code: " + stderr);
        AssertOneClearLine(stdout + stderr, "vault");
    }

    private static void AssertOneClearLine(string output, string mentions)
    {
        Assert.That(output, Does.Not.Contain("Hosting failed to start"));
        Assert.That(output, Does.Not.Contain("Unhandled exception"));
        Assert.That(output, Does.Not.Contain("Microsoft.Extensions.Hosting"), "the host's own entries are held back while starting");
        Assert.That(output, Does.Not.Match(@"(?m)^\s+at \S+\("), "no stack trace on lines of its own");
        var line = output.Split('\n').Where(l => l.StartsWith("sensen-edge: cannot start: ", StringComparison.Ordinal)).ToList();
        Assert.That(line, Has.Count.EqualTo(1), output);
        Assert.That(line[0], Does.Contain(mentions));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Run_MissingVaultCredentialWithModelsPresent_FailsBeforeAnyModelLoads(CancellationToken cancellationToken)
    {
        // The example's face and text models are present and valid; loading them takes seconds on a small unit.
        using var config = RunnableConfig.FromExample();
        config.DeleteCredential("vault-db-key");

        var (exitCode, _, stderr) = await DaemonProcess.RunAsync(["run", "--config", config.ConfigPath], cancellationToken);

        Assert.That(exitCode, Is.EqualTo(78), stderr);
        Assert.That(stderr, Does.Contain("vault-db-key"));
        Assert.That(stderr, Does.Not.Contain("Model face-tiny"), "the vault and its credentials come before model loading");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task CheckConfig_ExampleWithItsCredentials_Exits0(CancellationToken cancellationToken)
    {
        // Credentials resolved as run resolves them: systemd's $CREDENTIALS_DIRECTORY first.
        var credentials = Directory.CreateTempSubdirectory("sensen-creds-");
        foreach (var name in Configuration.CheckConfigCommandTests.ExampleCredentials)
        {
            File.WriteAllText(Path.Combine(credentials.FullName, name), "x");
            File.SetUnixFileMode(Path.Combine(credentials.FullName, name), UnixFileMode.UserRead);
        }

        var (exitCode, stdout, stderr) = await DaemonProcess.RunAsync(
            ["check-config", "--config", RepoPaths.ExampleConfig], cancellationToken, new Dictionary<string, string?> { ["CREDENTIALS_DIRECTORY"] = credentials.FullName });
        var (missingCode, _, missing) = await DaemonProcess.RunAsync(["check-config", RepoPaths.ExampleConfig, "--credentials-directory", "/nonexistent"], cancellationToken);
        credentials.Delete(recursive: true);

        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(missingCode, Is.EqualTo(78));
        Assert.That(missing, Does.Contain("cameras[0].credential: credential 'cam-north' not found in /nonexistent"));
        Assert.That(stdout, Does.Contain("valid (1 camera(s), 4 rule(s), 4 detector(s))"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task CheckConfig_MissingFile_IsOneLineAndExit66(CancellationToken cancellationToken)
    {
        var (exitCode, _, stderr) = await DaemonProcess.RunAsync(["check-config", "/nonexistent/sensen.yaml"], cancellationToken);

        Assert.That(exitCode, Is.EqualTo(66));
        Assert.That(stderr.TrimEnd(), Is.EqualTo("/nonexistent/sensen.yaml: no such file"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task CheckConfig_TenMistakes_Exits78(CancellationToken cancellationToken)
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "Configuration", "Fixtures", "ten-mistakes.yaml");

        var (exitCode, _, stderr) = await DaemonProcess.RunAsync(["check-config", fixture, "--credentials-directory", "/nonexistent"], cancellationToken);

        Assert.That(exitCode, Is.EqualTo(78));
        // The ten mistakes, the four default credentials it names (missing), the count.
        Assert.That(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(17), stderr);
        Assert.That(stderr, Does.Not.Contain("   at "), "no stack traces for a user's mistake");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Version_PrintsAssemblyVersion(CancellationToken cancellationToken)
    {
        var (exitCode, stdout, _) = await DaemonProcess.RunAsync(["--version"], cancellationToken);

        Assert.That(exitCode, Is.Zero);
        Assert.That(stdout.Trim(), Does.StartWith("0.1.0"));
    }
}
