using System.Text;
using Sensen.Edge.Configuration;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Configuration;

/// <summary>Mangled configuration files never crash the loader: each ends in positioned errors, or loads; no exception escapes.</summary>
public sealed class ConfigFuzzTests
{
    [Test]
    public void Parse_InputThatCrashesYamlDotNetsScanner_IsAClassifiedError()
    {
        // Reduced from a fuzz case: YamlDotNet throws InvalidOperationException here, not YamlException.
        var result = ConfigLoader.ParseDocument<EdgeOptions>("f.yaml", "/tmp/f.yaml", File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Configuration", "Fixtures", "scanner-crash.yaml")));

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { "f.yaml: not valid YAML: the parser could not read the file" }));
    }

    [Test]
    [CancelAfter(120_000)]
    public void Load_MutatedExample_EndsInPositionedErrorsOrAValidFile(CancellationToken cancellationToken)
    {
        // Models pointed nowhere, so the fuzz exercises parsing and validation, not hashing model files.
        var example = Encoding.UTF8.GetBytes(RunnableConfig.SetScalar(File.ReadAllText(RepoPaths.ExampleConfig), "models_directory", "/nonexistent"));
        var random = new Random(20261129);
        var tokens = new[] { ":", "- ", "[", "]", "{", "}", "&a ", "*a", "!!binary ", "\"", "'", "\n  ", "~", "1e999", "-1", "\t", "\0", "%YAML 1.1\n", "<<: *a\n" };
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int> { ["valid"] = 0, ["refused by the parser"] = 0, ["refused after binding"] = 0 };
        var directory = Directory.CreateTempSubdirectory("sensen-fuzz-");
        var path = Path.Combine(directory.FullName, "fuzz.yaml");
        var credentials = new CredentialStore(directory.FullName);
        foreach (var name in CheckConfigCommandTests.ExampleCredentials)
        {
            File.WriteAllText(Path.Combine(directory.FullName, name), "x");
            File.SetUnixFileMode(Path.Combine(directory.FullName, name), UnixFileMode.UserRead);
        }

        try
        {
            for (var i = 0; i < 1500 && !cancellationToken.IsCancellationRequested; i++)
            {
                var bytes = Mutate(example, random, tokens);
                File.WriteAllBytes(path, bytes);
                try
                {
                    // The whole of what check-config runs: read, parse, bind, every stage's validator, credentials.
                    var result = ConfigLoader.Load(path, _ => credentials);
                    var outcome = Classify(result, path);
                    if (outcome.StartsWith("unclassified", StringComparison.Ordinal))
                    {
                        failures.Add($"mutation {i}: {outcome}");
                    }
                    else
                    {
                        outcomes[outcome]++;
                    }
                }
                catch (Exception e)
                {
                    failures.Add($"mutation {i}: {e.GetType().Name} escaped: {e}");
                }
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        Assert.That(failures, Is.Empty);
        // The mutations must reach the parser's refusals, the validators and success, or the fuzz proves little
        // (seed 20261129: about 1040, 410 and 50 of 1500).
        Assert.That(outcomes["refused by the parser"], Is.GreaterThan(100), string.Join(", ", outcomes));
        Assert.That(outcomes["refused after binding"], Is.GreaterThan(100), string.Join(", ", outcomes));
        Assert.That(outcomes["valid"], Is.GreaterThan(10), string.Join(", ", outcomes));
    }

    /// <summary>What a load ended in, or why it is not one of the classified outcomes.</summary>
    private static string Classify(ConfigLoadResult result, string path)
    {
        if (result.IsValid)
        {
            return result.Errors.Count == 0 ? "valid" : "unclassified: valid with errors";
        }

        if (result.Errors.Count == 0)
        {
            return "unclassified: refused without an error";
        }

        if (result.Errors.FirstOrDefault(e => e.File != path || string.IsNullOrWhiteSpace(e.Message) || e.Line < 0) is { } bad)
        {
            return $"unclassified: malformed error {bad}";
        }

        // Errors that name a key come from binding or validation; the parser's own have no key path.
        return result.Errors.Any(e => e.Path.Length > 0) ? "refused after binding" : "refused by the parser";
    }

    private static byte[] Mutate(byte[] example, Random random, string[] tokens)
    {
        var bytes = example.ToList();
        for (var m = random.Next(1, 6); m > 0; m--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 40), bytes.Count - at));
                    break;
                case 2:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(tokens[random.Next(tokens.Length)]));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at); // truncated file
                    break;
            }
        }

        return [.. bytes];
    }
}
