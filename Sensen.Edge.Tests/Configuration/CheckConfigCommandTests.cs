using Sensen.Edge.Configuration;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Configuration;

/// <summary>check-config is truthful: a file it calls valid names only credentials that exist, can be read, and are private.</summary>
public sealed class CheckConfigCommandTests
{
    /// <summary>Every credential the example names: the camera's, the vault's three, the uplink's.</summary>
    internal static readonly string[] ExampleCredentials = ["cam-north", "device-key", "vault-db-key", "vault-storage-key", "mqtt-client-key"];

    private DirectoryInfo _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("sensen-check-");

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    [Test]
    public void Execute_EveryCredentialPresentAndPrivate_Valid()
    {
        var credentials = Provision("creds", ExampleCredentials);

        var (code, stdout, stderr) = Check(RepoPaths.ExampleConfig, credentials);

        Assert.That((code, stderr), Is.EqualTo((0, "")));
        Assert.That(stdout, Does.EndWith("valid (1 camera(s), 4 rule(s), 4 detector(s))\n"));
    }

    [Test]
    public void Execute_CameraCredentialMissing_PositionedErrorNamingTheKey()
    {
        var credentials = Provision("creds", [.. ExampleCredentials.Where(n => n != "cam-north")]);

        var (code, _, stderr) = Check(RepoPaths.ExampleConfig, credentials);

        Assert.That(code, Is.EqualTo(78));
        Assert.That(Lines(stderr), Is.EqualTo(new[]
        {
            $"{RepoPaths.ExampleConfig}:18:17 cameras[0].credential: credential 'cam-north' not found in {credentials}",
            "1 error(s)",
        }));
    }

    [Test]
    public void Execute_VaultKeyReadableByOthers_RefusedWithItsMode()
    {
        var credentials = Provision("creds", ExampleCredentials);
        File.SetUnixFileMode(Path.Combine(credentials, "vault-storage-key"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var (_, _, stderr) = Check(RepoPaths.ExampleConfig, credentials);

        Assert.That(Lines(stderr)[0], Is.EqualTo(
            $"{RepoPaths.ExampleConfig}:115:27 vault.storage_key_credential: credential 'vault-storage-key' is readable by group or others (mode 0644); make it readable by its owner only (chmod 0600)"));
    }

    [Test]
    public void Execute_DefaultCredentialsNotWritten_CheckedAndLocatedAtTheirSection()
    {
        var config = Write("device: {id: a}\ncameras:\n  - {id: c, url: 'rtsp://127.0.0.1/x'}\nvault:\n  retention_days: 30\n");

        var (_, _, stderr) = Check(config, Provision("creds", "vault-db-key", "vault-storage-key", "mqtt-client-key"));

        Assert.That(Lines(stderr)[0], Is.EqualTo($"{config}:5:3 vault.device_key_credential: credential 'device-key' not found in {_dir.FullName}/creds"));
    }

    [Test]
    public void Execute_UplinkDisabled_ItsCredentialIsNotNeeded()
    {
        var config = Write("device: {id: a}\ncameras:\n  - {id: c, url: 'rtsp://127.0.0.1/x'}\nuplink: {enabled: false}\n");

        Assert.That(Check(config, Provision("creds", "device-key", "vault-db-key", "vault-storage-key")).Code, Is.Zero);
    }

    [Test]
    public void Execute_NoDirectoryGiven_UsesTheFilesCredentialsDirectory()
    {
        Assume.That(Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY"), Is.Null.Or.Empty, "systemd's directory would win, as it does for run");
        var inFile = Provision("in-file", "device-key", "vault-db-key", "vault-storage-key");
        var config = Write($"device: {{id: a, credentials_directory: '{inFile}'}}\ncameras:\n  - {{id: c, url: 'rtsp://127.0.0.1/x'}}\nuplink: {{enabled: false}}\n");

        Assert.That(Check(config, null).Code, Is.Zero, "the file's own directory is used when --credentials-directory is not given");
        Assert.That(Check(config, Provision("other", "device-key")).Stderr, Does.Contain($"credential 'vault-db-key' not found in {_dir.FullName}/other"), "--credentials-directory wins");
    }

    [Test]
    public void Parse_FileGivenTwice_IsAUsageError()
    {
        var result = CheckConfigCommand.Create().Parse(["a.yaml", "--config", "b.yaml"]);

        Assert.That(result.Errors.Select(e => e.Message), Is.EqualTo(new[] { "give the configuration file once: either FILE or --config FILE" }));
    }

    private static (int Code, string Stdout, string Stderr) Check(string config, string? credentials)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CheckConfigCommand.Execute(config, credentials, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Provision(string directory, params string[] names)
    {
        var path = Path.Combine(_dir.FullName, directory);
        Directory.CreateDirectory(path);
        foreach (var name in names)
        {
            File.WriteAllText(Path.Combine(path, name), "secret-" + name);
            File.SetUnixFileMode(Path.Combine(path, name), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir.FullName, "edge.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
