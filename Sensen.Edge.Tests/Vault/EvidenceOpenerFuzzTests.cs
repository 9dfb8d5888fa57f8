using System.Security.Cryptography;
using System.Text;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

/// <summary>
/// The city side faces whatever arrives: manifests that are signed but malformed (a device bug, a stolen
/// device key), and blobs that do not fit them. Every one must be refused as <see cref="EvidenceRejectedException"/>,
/// never crash the receiver with another exception.
/// </summary>
internal sealed class EvidenceOpenerFuzzTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task VerifyAndOpen_SignedButMutatedManifests_AreRefusedCleanly(CancellationToken cancellationToken)
    {
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var city = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var cityPublic = ECDiffieHellman.Create();
        cityPublic.ImportSubjectPublicKeyInfo(city.ExportSubjectPublicKeyInfo(), out _);
        var now = new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
        var clip = RandomNumberGenerator.GetBytes((2 * SealingFormat.ChunkBytes) + 77);
        var sealedEvidence = await new EvidenceSealer(cityPublic, device, "unit-1")
            .SealAsync(Guid.CreateVersion7(now), VaultTestEnvironment.Metadata(now, "cam-1"), now, new MemoryStream(clip), cancellationToken);
        var blob = sealedEvidence.Chunks.SelectMany(c => c).ToArray();
        var json = Encoding.UTF8.GetString(sealedEvidence.ManifestJson.Span);
        var opener = new EvidenceOpener(city);
        var random = new Random(29);
        var replacements = new[] { "null", "-1", "0", "99999999999999999999", "\"\"", "[]", "{}", "true", "\"x\"", "1.5" };
        var failures = new List<string>();
        var accepted = 0;

        for (var i = 0; i < 600 && !cancellationToken.IsCancellationRequested; i++)
        {
            var mutated = Mutate(json, random, replacements);
            var bytes = Encoding.UTF8.GetBytes(mutated);
            var signature = device.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            try
            {
                var manifest = EvidenceOpener.Verify(bytes, signature, device.ExportParameters(false) is var p ? Public(p) : null!);
                var output = new MemoryStream();
                await opener.OpenAsync(manifest, new MemoryStream(blob), output, cancellationToken);
                Assert.That(output.ToArray(), Is.EqualTo(clip), $"mutation {i} was accepted but produced other bytes: {mutated}");
                accepted++;
            }
            catch (EvidenceRejectedException)
            {
                // The expected outcome for almost every mutation.
            }
            catch (Exception e) when (e is not AssertionException)
            {
                failures.Add($"mutation {i}: {e.GetType().Name}: {e.Message}\n{mutated}");
            }
        }

        Assert.That(failures, Is.Empty);
        Assert.That(accepted, Is.LessThan(600), "the fuzz must reach the refusal paths");
    }

    private static ECDsa Public(ECParameters parameters) => ECDsa.Create(parameters);

    /// <summary>Replaces one JSON value (the text after a ':' up to the next ',' or '}') with a hostile one.</summary>
    private static string Mutate(string json, Random random, string[] replacements)
    {
        var colons = Enumerable.Range(0, json.Length).Where(i => json[i] == ':').ToList();
        var at = colons[random.Next(colons.Count)] + 1;
        var end = at;
        var depth = 0;
        var inString = false;
        for (; end < json.Length; end++)
        {
            var c = json[end];
            if (c == '"' && json[end - 1] != '\\')
            {
                inString = !inString;
            }
            else if (!inString && (c == '{' || c == '['))
            {
                depth++;
            }
            else if (!inString && (c == '}' || c == ']'))
            {
                if (depth == 0)
                {
                    break;
                }

                depth--;
            }
            else if (!inString && c == ',' && depth == 0)
            {
                break;
            }
        }

        return json[..at] + replacements[random.Next(replacements.Length)] + json[end..];
    }
}
