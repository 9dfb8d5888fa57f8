using Sensen.Edge.Configuration;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>The camera checks that ingest added to the validator, message pinned.</summary>
public sealed class CameraConfigValidationTests
{
    [Test]
    public void Load_RtspsWithUdp_TransportError()
    {
        var errors = Load("device: {id: a}\ncameras:\n  - id: c\n    url: rtsps://127.0.0.1:322/x\n    transport: udp\n");

        Assert.That(errors, Does.Contain("cameras[0].transport: rtsps:// streams travel inside the TLS connection; transport: udp is not possible (use tcp)"));
    }

    [Test]
    public void Load_RtspsWithTcp_NoCameraError() =>
        Assert.That(Load("device: {id: a}\ncameras:\n  - id: c\n    url: rtsps://127.0.0.1:322/x\n"), Has.None.StartsWith("cameras[0]"));

    private static List<string> Load(string yaml)
    {
        var directory = Directory.CreateTempSubdirectory("sensen-cfg-");
        try
        {
            var path = Path.Combine(directory.FullName, "edge.yaml");
            File.WriteAllText(path, yaml);
            return ConfigLoader.Load(path).Errors.Select(e => $"{e.Path}: {e.Message}").ToList();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
