using System.Text;
using Sensen.Edge.Configuration;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Configuration;

/// <summary>Mangled configuration files never crash the loader: each gets errors, or loads.</summary>
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
    public void Parse_MutatedExample_NeverThrows(CancellationToken cancellationToken)
    {
        // Models pointed nowhere, so the fuzz exercises parsing and validation, not hashing model files.
        var example = Encoding.UTF8.GetBytes(RunnableConfig.SetScalar(File.ReadAllText(RepoPaths.ExampleConfig), "models_directory", "/nonexistent"));
        var random = new Random(20261129);
        var tokens = new[] { ":", "- ", "[", "]", "{", "}", "&a ", "*a", "!!binary ", "\"", "'", "\n  ", "~", "1e999", "-1", "\t", "\0", "%YAML 1.1\n", "<<: *a\n" };
        var failures = new List<string>();

        for (var i = 0; i < 1500 && !cancellationToken.IsCancellationRequested; i++)
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

            try
            {
                var result = ConfigLoader.ParseDocument<EdgeOptions>("fuzz.yaml", "/tmp/fuzz.yaml", [.. bytes]);
                if (result.Value is not null && result.Errors.Count == 0)
                {
                    new ConfigValidator("fuzz.yaml", new LoadedConfig(result.Value, "/tmp/fuzz.yaml", result.Sha256), result.Marks, []).Validate();
                }
            }
            catch (Exception e)
            {
                failures.Add($"mutation {i}: {e}");
            }
        }

        Assert.That(failures, Is.Empty);
    }
}
