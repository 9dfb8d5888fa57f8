using Sensen.Edge.Cli;
using Sensen.Edge.Configuration;
using Sensen.Edge.Receiver;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Receiver;

public sealed class ReceiverCommandTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task RunAsync_InvalidFile_PrintsPositionedErrorsAndExits78(CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("sensen-rx-cmd-").FullName;
        try
        {
            var path = Path.Combine(dir, "receiver.yaml");
            File.WriteAllText(path, "broker: 'mqtt://h:1883'\nshare_group: 'a b'\n");
            var stderr = new StringWriter();

            var code = await ReceiverCommand.RunAsync(path, stderr, cancellationToken);

            Assert.That(code, Is.EqualTo(ExitCodes.Config));
            Assert.That(stderr.ToString(), Does.Contain($"{path}:1:9 broker: plaintext mqtt:// is refused"));
            Assert.That(stderr.ToString(), Does.Contain($"{path}:2:14 share_group: 'a b' is not a valid id"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task RunAsync_MissingFile_Exits66(CancellationToken cancellationToken)
    {
        var code = await ReceiverCommand.RunAsync("/nonexistent/receiver.yaml", new StringWriter(), cancellationToken);

        Assert.That(code, Is.EqualTo(ExitCodes.NoInput));
    }

    [Test]
    public void Load_ExampleFile_IsValid()
    {
        var dir = Directory.CreateTempSubdirectory("sensen-rx-example-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "devices"));
            var path = Path.Combine(dir, "receiver.yaml");
            File.Copy(Path.Combine(RepoPaths.Root, "config", "receiver.yaml"), path);

            var (options, _, errors, _) = ReceiverConfigLoader.Load(path);

            Assert.That(errors, Is.Empty);
            Assert.That(options!.ShareGroup, Is.EqualTo("city"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
