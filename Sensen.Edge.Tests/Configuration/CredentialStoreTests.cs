using Sensen.Edge.Configuration;

namespace Sensen.Edge.Tests.Configuration;

public sealed class CredentialStoreTests
{
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("sensen-cred-");

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    [Test]
    public void ReadText_TrailingNewline_IsTrimmed()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "cam"), "admin:s3cret\n");

        Assert.That(new CredentialStore(_dir.FullName).ReadText("cam"), Is.EqualTo("admin:s3cret"));
    }

    [Test]
    public void ReadBytes_Missing_NamesCredentialAndDirectory()
    {
        var e = Assert.Throws<CredentialException>(() => new CredentialStore(_dir.FullName).ReadBytes("device-key"));

        Assert.That(e!.Message, Is.EqualTo($"credential 'device-key' not found in {_dir.FullName}"));
    }

    [Test]
    public void ReadBytes_Empty_IsRefused()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "k"), "");

        Assert.That(() => new CredentialStore(_dir.FullName).ReadBytes("k"), Throws.TypeOf<CredentialException>().With.Message.EqualTo("credential 'k' is empty"));
    }

    [TestCase("../etc/shadow")]
    [TestCase("/etc/shadow")]
    [TestCase("")]
    public void ReadBytes_PathLikeName_IsRefused(string name) =>
        Assert.That(() => new CredentialStore(_dir.FullName).ReadBytes(name), Throws.TypeOf<CredentialException>().With.Message.Contains("is not a credential name"));

    [Test]
    public void IsExposed_WorldReadable_True()
    {
        var path = Path.Combine(_dir.FullName, "k");
        File.WriteAllText(path, "x");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var store = new CredentialStore(_dir.FullName);
        Assert.That(store.IsExposed("k"), Is.False);

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.OtherRead);
        Assert.That(store.IsExposed("k"), Is.True);
    }

    [TestCase(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "0640")]
    [TestCase(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "0644")]
    [TestCase(UnixFileMode.UserRead | UnixFileMode.OtherRead, "0404")]
    public void Verify_GroupOrWorldReadable_IsRefusedWithItsMode(UnixFileMode mode, string octal)
    {
        var path = Path.Combine(_dir.FullName, "k");
        File.WriteAllText(path, "x");
        File.SetUnixFileMode(path, mode);

        Assert.That(() => new CredentialStore(_dir.FullName).Verify("k"), Throws.TypeOf<CredentialException>().With.Message.EqualTo(
            $"credential 'k' is readable by group or others (mode {octal}); make it readable by its owner only (chmod 0600)"));
    }

    [TestCase(UnixFileMode.UserRead)]
    [TestCase(UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    public void Verify_OwnerOnly_Passes(UnixFileMode mode)
    {
        var path = Path.Combine(_dir.FullName, "k");
        File.WriteAllText(path, "x");
        File.SetUnixFileMode(path, mode);

        Assert.That(() => new CredentialStore(_dir.FullName).Verify("k"), Throws.Nothing);
    }

    [Test]
    public void Verify_Missing_SaysNotFound() =>
        Assert.That(() => new CredentialStore(_dir.FullName).Verify("absent"), Throws.TypeOf<CredentialException>().With.Message.EqualTo($"credential 'absent' not found in {_dir.FullName}"));
}
