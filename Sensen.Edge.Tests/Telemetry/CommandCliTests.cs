using System.Text;
using Microsoft.Extensions.Time.Testing;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Tests.Telemetry;

/// <summary><c>command keygen</c> and <c>command sign</c>: what they write verifies on a unit configured with the public half.</summary>
internal sealed class CommandCliTests
{
    [Test]
    public void KeygenThenSign_OutputVerifiesUnderTheConfiguredPublicKey_AndKeygenNeverOverwrites()
    {
        var dir = Directory.CreateTempSubdirectory("sensen-cmd-cli-").FullName;
        try
        {
            Assert.That(CommandCli.Keygen(dir, "admin-1", TextWriter.Null, TextWriter.Null), Is.Zero);
            Assert.That(File.GetUnixFileMode(Path.Combine(dir, "admin-1.key")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            using var again = new StringWriter();
            Assert.That(CommandCli.Keygen(dir, "admin-1", TextWriter.Null, again), Is.Not.Zero);
            Assert.That(again.ToString(), Does.Contain("exists; not overwritten"));

            using var stdout = new StringWriter();
            var exit = CommandCli.Sign(new CommandSignRequest(Path.Combine(dir, "admin-1.key"), "admin-1", "unit-9", CommandFormat.SetLogLevel, null, null, "debug"), stdout, TextWriter.Null);

            Assert.That(exit, Is.Zero);
            var keys = OperatorKeys.Load(new TelemetryOptions { Operators = [new OperatorOptions { Id = "admin-1", Role = OperatorRole.Admin, PublicKey = "admin-1.pem" }] }, dir);
            var verifier = new CommandVerifier(keys, "unit-9", new FakeTimeProvider(DateTimeOffset.UtcNow), TimeSpan.FromMinutes(5));
            var result = verifier.Verify(Encoding.ASCII.GetBytes(stdout.ToString().Trim()));
            Assert.That(result.Refusal, Is.Null, result.Message);
            Assert.That(result.Command!.Body.Level, Is.EqualTo("debug"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Sign_KeyFileMissing_SaysWhichFileWithoutContent()
    {
        using var stderr = new StringWriter();

        var exit = CommandCli.Sign(new CommandSignRequest("/nonexistent/op.key", "op", "unit-9", CommandFormat.Resend, Guid.NewGuid().ToString(), null, null), TextWriter.Null, stderr);

        Assert.That(exit, Is.EqualTo(64));
        Assert.That(stderr.ToString(), Does.StartWith("sensen-edge command: cannot sign with /nonexistent/op.key"));
    }
}
