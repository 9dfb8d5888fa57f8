using System.Diagnostics;
using System.Text.Json;
using Sensen.Edge.Cli;
using Sensen.Edge.Configuration;
using Sensen.Edge.Ingest;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Ingest;

/// <summary><c>sensen-edge probe</c> against real cameras: what it prints and how it exits.</summary>
public sealed class ProbeCommandTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Execute_LiveCamera_ReportsStreamAndMeasuredFpsExitZero(CancellationToken cancellationToken)
    {
        await using var server = await RtspTestServer.StartAsync(await TestClips.SteadyAsync(cancellationToken), cancellationToken);

        var (code, stdout, _) = await ProbeAsync(new ProbeSettings { Url = server.Url, Seconds = 3, Hwaccel = HardwareAcceleration.Auto }, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), stdout);
            Assert.That(stdout, Does.Contain("codec:        h264 (Constrained Baseline)"));
            Assert.That(stdout, Does.Contain("resolution:   320x240"));
            Assert.That(stdout, Does.Contain("stream fps:   15"));
            Assert.That(stdout, Does.Match(@"measured fps: 1[3-6]\.\d"));
            Assert.That(stdout, Does.Contain("decoder:      software (auto: "));
            Assert.That(stdout, Does.Contain("result:       ok"));
        });
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Execute_NothingListening_Exit69Unreachable(CancellationToken cancellationToken)
    {
        var (code, stdout, _) = await ProbeAsync(new ProbeSettings { Url = $"rtsp://127.0.0.1:{FreePort.Next()}/cam", Seconds = 1 }, cancellationToken);

        Assert.That(code, Is.EqualTo(ExitCodes.Unavailable));
        Assert.That(stdout, Does.Contain("failed, ConnectionRefused"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Execute_UnknownHost_Exit69(CancellationToken cancellationToken)
    {
        var (code, stdout, _) = await ProbeAsync(new ProbeSettings { Url = "rtsp://no-camera.invalid/cam", Seconds = 1 }, cancellationToken);

        Assert.That(code, Is.EqualTo(ExitCodes.Unavailable));
        Assert.That(stdout, Does.Contain("failed, UnknownHost"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Execute_WrongPasswordAsJson_Exit77AndNoSecretPrinted(CancellationToken cancellationToken)
    {
        var credentials = Directory.CreateTempSubdirectory("sensen-edge-creds-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(credentials.FullName, "cam"), "admin:not-the-password\n", cancellationToken);
            await using var server = await RtspTestServer.StartAsync(await TestClips.SteadyAsync(cancellationToken), cancellationToken, user: "admin", password: "the-password");

            var (code, stdout, stderr) = await ProbeAsync(
                new ProbeSettings { Url = server.Url, Seconds = 1, Json = true, Credential = "cam", CredentialsDirectory = credentials.FullName },
                cancellationToken);

            using var json = JsonDocument.Parse(stdout);
            Assert.Multiple(() =>
            {
                Assert.That(code, Is.EqualTo(ExitCodes.NoPermission));
                Assert.That(json.RootElement.GetProperty("failure").GetString(), Is.EqualTo("Unauthorized"));
                Assert.That(json.RootElement.GetProperty("exit_code").GetInt32(), Is.EqualTo(77));
                Assert.That(stdout + stderr, Does.Not.Contain("not-the-password"));
            });
        }
        finally
        {
            credentials.Delete(recursive: true);
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Execute_AudioOnlyStream_Exit65NoVideo(CancellationToken cancellationToken)
    {
        await using var server = await RtspTestServer.StartAsync(await TestClips.AudioOnlyAsync(cancellationToken), cancellationToken, kind: "audio");

        var (code, stdout, _) = await ProbeAsync(new ProbeSettings { Url = server.Url, Seconds = 1 }, cancellationToken);

        Assert.That(code, Is.EqualTo(ExitCodes.DataError));
        Assert.That(stdout, Does.Contain("failed, NoVideo"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Execute_PasswordInUrl_UsageErrorWithoutEchoingIt(CancellationToken cancellationToken)
    {
        var (code, _, stderr) = await ProbeAsync(new ProbeSettings { Url = "rtsp://admin:hunter2@127.0.0.1/cam" }, cancellationToken);

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(stderr, Does.Contain("credential file").And.Not.Contain("hunter2"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Execute_MissingReplayFile_Exit66(CancellationToken cancellationToken)
    {
        var (code, stdout, stderr) = await ProbeAsync(new ProbeSettings { Url = "file:///nonexistent/missing.mp4" }, cancellationToken);

        Assert.That((code, stdout, stderr.TrimEnd()), Is.EqualTo((ExitCodes.NoInput, "", "sensen-edge probe: replay file '/nonexistent/missing.mp4' does not exist")));
    }

    [Test]
    public void Help_EnumOptions_ListAndDefaultInTheYamlsSpelling()
    {
        using var output = new StringWriter();

        new System.CommandLine.RootCommand { ProbeCommand.Create() }.Parse(["probe", "--help"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output });

        Assert.That(output.ToString(), Does.Contain("--hwaccel <auto|none|cuda|vaapi|jetson>").And.Contain("[default: auto]")
            .And.Contain("--transport <tcp|udp>").And.Contain("[default: tcp]").And.Not.Contain("Auto").And.Not.Contain("Tcp"));
    }

    [TestCase("cuda", "Cuda")]
    [TestCase("none", "None")]
    [TestCase("jetson", "Jetson")]
    public void Parse_HwaccelInYamlSpelling_IsThatValue(string text, string expected)
    {
        var command = ProbeCommand.Create();
        var result = command.Parse(["rtsp://127.0.0.1/x", "--hwaccel", text]);
        var option = command.Options.OfType<System.CommandLine.Option<string>>().Single(o => o.Name == "--hwaccel");

        Assert.That(result.Errors, Is.Empty);
        Assert.That(YamlEnumOption.Parse<HardwareAcceleration>(result.GetValue(option)!).ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void Parse_HwaccelNotAValue_ErrorListsTheYamlSpelling()
    {
        var errors = string.Join("\n", ProbeCommand.Create().Parse(["rtsp://127.0.0.1/x", "--hwaccel", "Cuda"]).Errors.Select(e => e.Message));

        Assert.That(errors, Does.Contain("'Cuda'").And.Contain("'auto'").And.Contain("'cuda'").And.Contain("'jetson'"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Cli_WrongPath_Exit69ThroughTheRealBinary(CancellationToken cancellationToken)
    {
        await using var server = await RtspTestServer.StartAsync(await TestClips.SteadyAsync(cancellationToken), cancellationToken);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { RepoPaths.DaemonDll, "probe", $"rtsp://127.0.0.1:{server.Port}/wrong", "--seconds", "1", "--json", "--hwaccel", "none" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);

        Assert.That(process.ExitCode, Is.EqualTo(ExitCodes.Unavailable), stdout + await stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.GetProperty("failure").GetString(), Is.EqualTo("NotFound"));
    }

    private static async Task<(int Code, string Stdout, string Stderr)> ProbeAsync(ProbeSettings settings, CancellationToken cancellationToken)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await ProbeCommand.ExecuteAsync(settings with { ConnectSeconds = 5 }, new IngestTuning(), stdout, stderr, cancellationToken);
        TestContext.Progress.WriteLine(stdout.ToString());
        return (code, stdout.ToString(), stderr.ToString());
    }
}
