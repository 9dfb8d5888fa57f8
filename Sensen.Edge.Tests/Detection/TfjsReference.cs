using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary>
/// Runs a TFJS graph model in @tensorflow/tfjs (pure JavaScript CPU backend) under Node.js through
/// scripts/tfjs-reference.cjs. CenterNet takes about 13 s a frame there, so outputs are cached in the ignored
/// <c>.cache/tfjs-reference/</c>, keyed by the hash of the model files, the input tensor and the output names.
/// </summary>
internal static class TfjsReference
{
    public static string TfjsDirectory => Path.Combine(RepoPaths.Cache, "npm", "tfjs");

    public static string Script => Path.Combine(RepoPaths.Root, "scripts", "tfjs-reference.cjs");

    public static async Task<IReadOnlyDictionary<string, (long[] Shape, float[] Values)>> RunAsync(string modelJson, float[] input, long[] shape, IReadOnlyList<string> outputs, CancellationToken cancellationToken)
    {
        var key = Key(modelJson, input, shape, outputs);
        var directory = Path.Combine(RepoPaths.Cache, "tfjs-reference", key);
        var listing = Path.Combine(directory, "outputs.json");
        if (!File.Exists(listing))
        {
            var work = directory + ".tmp" + Environment.ProcessId;
            Directory.CreateDirectory(work);
            var inputFile = Path.Combine(work, "input.bin");
            await File.WriteAllBytesAsync(inputFile, System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.AsSpan()).ToArray(), cancellationToken);
            var start = new ProcessStartInfo("node") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { Script, TfjsDirectory, modelJson, inputFile, string.Join(',', shape), string.Join(',', outputs), work })
            {
                start.ArgumentList.Add(a);
            }

            using var node = Process.Start(start)!;
            var stderr = node.StandardError.ReadToEndAsync(cancellationToken);
            var stdout = node.StandardOutput.ReadToEndAsync(cancellationToken);
            await node.WaitForExitAsync(cancellationToken);
            if (node.ExitCode != 0)
            {
                throw new InvalidOperationException($"tfjs reference failed ({node.ExitCode}): {await stderr}{await stdout}");
            }

            File.Delete(inputFile);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.Move(work, directory);
        }

        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(listing, cancellationToken));
        var result = new Dictionary<string, (long[], float[])>(StringComparer.Ordinal);
        foreach (var o in json.RootElement.EnumerateArray())
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(directory, o.GetProperty("file").GetString()!), cancellationToken);
            var values = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
            result[o.GetProperty("name").GetString()!] = ([.. o.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())], values);
        }

        return result;
    }

    private static string Key(string modelJson, float[] input, long[] shape, IReadOnlyList<string> outputs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(modelJson));
        foreach (var shard in Directory.EnumerateFiles(Path.GetDirectoryName(modelJson)!, Path.GetFileNameWithoutExtension(modelJson) + "*.bin").Order(StringComparer.Ordinal))
        {
            hash.AppendData(File.ReadAllBytes(shard));
        }

        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.AsSpan()));
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(string.Join(',', shape) + "|" + string.Join(',', outputs) + "|" + File.ReadAllText(Script)));
        return Path.GetFileNameWithoutExtension(modelJson) + "-" + Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
