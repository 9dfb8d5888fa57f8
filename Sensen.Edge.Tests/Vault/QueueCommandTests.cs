using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Sensen.Edge.Cli;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

[TestFixture]
internal sealed class QueueCommandTests : IDisposable
{
    private VaultTestEnvironment _env = null!;

    [SetUp]
    public void SetUp() => _env = new VaultTestEnvironment();

    [TearDown]
    public void TearDown() => _env.Dispose();

    public void Dispose() => _env?.Dispose();

    [Test]
    [CancelAfter(20_000)]
    public async Task List_Json_MetadataOnly(CancellationToken cancellationToken)
    {
        var record = await SealOneAsync(cancellationToken);
        var config = _env.WriteConfig();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = VaultCli.Run("queue list", config, stderr, v => QueueCommand.List(v, json: true, stdout));

        Assert.That(code, Is.EqualTo(ExitCodes.Ok), stderr.ToString());
        var item = JsonDocument.Parse(stdout.ToString()).RootElement.EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(item.GetProperty("id").GetString(), Is.EqualTo(record.Id));
            Assert.That(item.GetProperty("state").GetString(), Is.EqualTo("sealed"));
            Assert.That(item.GetProperty("sealed_sha256").GetString(), Is.EqualTo(record.SealedSha256));
            Assert.That(item.GetProperty("legal_hold").GetBoolean(), Is.False);
            Assert.That(stdout.ToString(), Does.Not.Contain("CLIP-PLAINTEXT"));
        });
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Show_Item_PrintsManifestMetadataNotContent(CancellationToken cancellationToken)
    {
        var record = await SealOneAsync(cancellationToken);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = VaultCli.Run("queue show", _env.WriteConfig(), stderr, v => QueueCommand.Show(v, record.Id, stdout));

        Assert.That(code, Is.EqualTo(ExitCodes.Ok), stderr.ToString());
        var text = stdout.ToString();
        Assert.That(text, Does.Contain($"camera:         {VaultTestEnvironment.ManifestMarker}"));
        Assert.That(text, Does.Contain("rule:           bus-lane-peak (bus_lane)"));
        Assert.That(text, Does.Contain("clock:          synchronised (ntp)"));
        Assert.That(text, Does.Contain($"sealed sha256:  {record.SealedSha256}"));
        Assert.That(text, Does.Not.Contain("CLIP-PLAINTEXT"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Show_UnknownId_Exit66(CancellationToken cancellationToken)
    {
        await SealOneAsync(cancellationToken);
        var stderr = new StringWriter();

        var code = VaultCli.Run("queue show", _env.WriteConfig(), stderr, v => QueueCommand.Show(v, "nope", new StringWriter()));

        Assert.That(code, Is.EqualTo(ExitCodes.NoInput));
        Assert.That(stderr.ToString().Trim(), Is.EqualTo("sensen-edge queue show: no evidence nope in the vault"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task List_WhileTheDaemonHoldsTheVault_Exit75(CancellationToken cancellationToken)
    {
        await SealOneAsync(cancellationToken);
        using var daemon = _env.Open();
        var stderr = new StringWriter();

        var code = VaultCli.Run("queue list", _env.WriteConfig(), stderr, v => QueueCommand.List(v, json: false, new StringWriter()));

        Assert.That(code, Is.EqualTo(ExitCodes.TempFail));
        Assert.That(stderr.ToString(), Does.StartWith($"sensen-edge queue list: vault database {_env.DatabasePath} is in use by another process"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task HoldThenList_RealBinary_HoldShownAndReasonKeptOutOfOutput(CancellationToken cancellationToken)
    {
        var record = await SealOneAsync(cancellationToken);
        var config = _env.WriteConfig();

        var (holdCode, holdOut, holdErr) = await RunDaemonAsync(["queue", "hold", record.Id, "--reason", "case 42", "--config", config], cancellationToken);
        var (listCode, listOut, _) = await RunDaemonAsync(["queue", "list", "--json", "--config", config], cancellationToken);

        Assert.That(holdCode, Is.EqualTo(ExitCodes.Ok), holdErr);
        Assert.That(holdOut.Trim(), Is.EqualTo($"{record.Id}: sealed, legal hold on"));
        Assert.That(listCode, Is.EqualTo(ExitCodes.Ok));
        Assert.That(JsonDocument.Parse(listOut).RootElement[0].GetProperty("legal_hold").GetBoolean(), Is.True);
        Assert.That(listOut, Does.Not.Contain("case 42"));
    }

    [Test]
    public void KeysDevice_WritesPrivateKey0600AndCsrWithDeviceCn()
    {
        var output = Path.Combine(_env.Root, "device");

        var code = KeysCommand.Device(output, "unit-0042", "/nonexistent.yaml", new StringWriter(), new StringWriter());

        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        var keyPath = Path.Combine(output, KeysCommand.DeviceKeyFile);
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(keyPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(keyPath));
        var csr = CertificateRequest.LoadSigningRequestPem(File.ReadAllText(Path.Combine(output, KeysCommand.DeviceCsrFile)), HashAlgorithmName.SHA256);
        Assert.That(csr.SubjectName.Name, Is.EqualTo("CN=unit-0042"));
        Assert.That(csr.PublicKey.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Queue_TortureVerb_IsNotInTheShippedBinary(CancellationToken cancellationToken)
    {
        var (code, stdout, stderr) = await RunDaemonAsync(["queue", "torture", "--state", _env.StateDirectory, "--credentials", _env.CredentialsDirectory, "--city-key", _env.CityPublicKeyPath, "--seed", "1"], cancellationToken);

        Assert.That(code, Is.Not.EqualTo(ExitCodes.Ok), stdout + stderr);
        Assert.That(stdout, Does.Not.Contain("ready"));
        Assert.That(stderr, Does.Contain("torture"), "System.CommandLine names the unknown verb");
        Assert.That(File.Exists(_env.DatabasePath), Is.False, "nothing was sealed with the device key");
    }

    [Test]
    public void KeysCity_WritesTheAckKeyPairPrivateHalfCreated0600()
    {
        var output = Path.Combine(_env.Root, "city-ack");
        var stdout = new StringWriter();

        Assert.That(KeysCommand.City(output, stdout, new StringWriter()), Is.EqualTo(ExitCodes.Ok));

        var ackPrivate = Path.Combine(output, KeysCommand.CityAckPrivateFile);
        var ackPublic = Path.Combine(output, KeysCommand.CityAckPublicFile);
        Assert.That(stdout.ToString(), Does.Contain(ackPrivate).And.Contain(ackPublic));
        Assert.That(File.GetUnixFileMode(ackPrivate), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        using var sealing = VaultSettings.LoadCityPublicKey(Path.Combine(output, KeysCommand.CityPublicFile));
        using var verifyKey = VaultSettings.LoadCityAckPublicKey(ackPublic, sealing);
        using var signKey = ECDsa.Create();
        signKey.ImportFromPem(File.ReadAllText(ackPrivate));
        Assert.That(verifyKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(signKey.ExportSubjectPublicKeyInfo()), "one pair");
        Assert.That(verifyKey.ExportSubjectPublicKeyInfo(), Is.Not.EqualTo(sealing.ExportSubjectPublicKeyInfo()), "a key of its own, not the sealing key");
    }

    [Test]
    public void KeysCity_SecondRun_RefusesToOverwriteExit73()
    {
        var output = Path.Combine(_env.Root, "city");
        Assert.That(KeysCommand.City(output, new StringWriter(), new StringWriter()), Is.EqualTo(ExitCodes.Ok));
        var before = File.ReadAllText(Path.Combine(output, KeysCommand.CityPrivateFile));
        var stderr = new StringWriter();

        var code = KeysCommand.City(output, new StringWriter(), stderr);

        Assert.That(code, Is.EqualTo(ExitCodes.CannotCreate));
        Assert.That(stderr.ToString(), Does.EndWith("already exist(s); refusing to overwrite key material" + Environment.NewLine));
        Assert.That(File.ReadAllText(Path.Combine(output, KeysCommand.CityPrivateFile)), Is.EqualTo(before));
        using var city = ECDiffieHellman.Create();
        city.ImportFromPem(before);
        using var cityPublic = VaultSettings.LoadCityPublicKey(Path.Combine(output, KeysCommand.CityPublicFile));
        Assert.That(cityPublic.ExportSubjectPublicKeyInfo(), Is.EqualTo(city.ExportSubjectPublicKeyInfo()));
    }

    private async Task<EvidenceRecord> SealOneAsync(CancellationToken cancellationToken)
    {
        using var vault = _env.Open();
        return await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(5000)), cancellationToken);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunDaemonAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepoPaths.DaemonDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("CREDENTIALS_DIRECTORY");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
