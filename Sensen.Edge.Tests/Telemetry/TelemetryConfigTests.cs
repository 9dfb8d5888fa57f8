using System.Security.Cryptography;
using Sensen.Edge.Configuration;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Tests.Telemetry;

/// <summary>Every <c>telemetry.operators</c> and signal-topic message pinned word for word with its position, and the operator key loader's refusals.</summary>
internal sealed class TelemetryConfigTests
{
    private const string Camera = "device: {id: a}\ncameras:\n  - id: c\n    url: rtsp://127.0.0.1/x\n";

    [TestCase("telemetry:\n  operators:\n    - {id: '', role: admin, public_key: a.pem}\n", "7:12 telemetry.operators[0].id: is required: the operator's id (the kid of their signed commands)")]
    [TestCase("telemetry:\n  operators:\n    - {id: 'a b', role: admin, public_key: a.pem}\n", "7:12 telemetry.operators[0].id: 'a b' is not a valid id (1-64 letters, digits, '.', '-', '_')")]
    [TestCase("telemetry:\n  operators:\n    - {id: a, public_key: a.pem}\n    - {id: a, public_key: b.pem}\n", "8:12 telemetry.operators[1].id: duplicate id 'a'")]
    [TestCase("telemetry:\n  operators:\n    - {id: a, role: root, public_key: a.pem}\n", "7:21 telemetry.operators[0].role: 'root' is not one of viewer, operator, admin")]
    [TestCase("telemetry:\n  operators:\n    - {id: a, role: admin}\n", "7:7 telemetry.operators[0].public_key: is required: the PEM file with the operator's P-256 public key")]
    [TestCase("telemetry:\n  operators:\n    - {id: a, public_key: '-----BEGIN PRIVATE KEY-----'}\n", "7:27 telemetry.operators[0].public_key: a private key is written inline; keys belong in a credential file")]
    [TestCase("telemetry:\n  command_max_age_seconds: 5\n", "6:28 telemetry.command_max_age_seconds: 5 is out of range (allowed 10 to 3600)")]
    [TestCase("telemetry:\n  operators:\n    - {id: a, role: operator, public_key: a.pem}\n", null)]
    public void Load_OneTelemetryMistake_HasItsPositionedMessage(string telemetry, string? expected)
    {
        var (file, errors) = Load(Camera + telemetry);

        Assert.That(errors, expected is null ? Is.Empty : Is.EqualTo(new[] { $"{file}:{expected}" }));
    }

    [Test]
    public void Load_RedLightSignalTopicWithWildcard_IsRefused()
    {
        var yaml = Camera + "    lines:\n      - {id: stop, from: [0.1, 0.5], to: [0.9, 0.5]}\n    rules:\n      - id: rl\n        type: red_light\n        line: stop\n        direction: forward\n        signal: {topic: 'signals/+'}\n";

        var (file, errors) = Load(yaml);

        Assert.That(errors, Has.Some.EqualTo($"{file}:12:25 cameras[0].rules[0].signal.topic: 'signals/+' is not a topic name (no wildcards '+' '#', not starting with '$')"));
    }

    [Test]
    public void OperatorKeys_MissingPrivateOrWrongCurveFile_AreRefusedNamingThePathNeverTheContent()
    {
        var dir = Directory.CreateTempSubdirectory("sensen-op-keys-").FullName;
        try
        {
            using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            File.WriteAllText(Path.Combine(dir, "private.pem"), p256.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(dir, "p384.pem"), p384.ExportSubjectPublicKeyInfoPem());
            File.WriteAllText(Path.Combine(dir, "good.pem"), p256.ExportSubjectPublicKeyInfoPem());
            string Refusal(string file) => Assert.Throws<CredentialException>(() =>
                OperatorKeys.Load(new TelemetryOptions { Operators = [new OperatorOptions { Id = "a", PublicKey = file }] }, dir))!.Message;

            Assert.That(Refusal("missing.pem"), Does.StartWith($"telemetry.operators[0].public_key ({dir}/missing.pem): cannot read"));
            Assert.That(Refusal("private.pem"), Does.EndWith("holds a private key; the unit needs only the operator's public key").And.Not.Contain("BEGIN"));
            Assert.That(Refusal("p384.pem"), Does.EndWith("not a P-256 key"));
            var keys = OperatorKeys.Load(new TelemetryOptions { Operators = [new OperatorOptions { Id = "a", Role = OperatorRole.Admin, PublicKey = "good.pem" }] }, dir);
            Assert.That(keys.Single().Role, Is.EqualTo(OperatorRole.Admin));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (string File, List<string> Errors) Load(string yaml)
    {
        var dir = Directory.CreateTempSubdirectory("sensen-telemetry-cfg-");
        try
        {
            var path = Path.Combine(dir.FullName, "edge.yaml");
            File.WriteAllText(path, yaml);
            return (path, ConfigLoader.Load(path).Errors.Select(e => e.ToString()).ToList());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
