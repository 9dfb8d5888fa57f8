using System.CommandLine;
using Sensen.Edge.Cli;

namespace Sensen.Edge.Detection;

/// <summary>
/// <c>sensen-edge models</c>: <c>convert-face-api</c> turns face-api's TinyFaceDetector weights, and
/// <c>convert-tfjs</c> any TensorFlow.js graph model the converter covers, into ONNX
/// (deterministically, so a manifest can pin the hash); <c>verify</c> checks manifests, hashes and tensor
/// shapes on the CPU, as start-up would.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "Convert and verify detector models.");
        command.Subcommands.Add(CreateConvert());
        command.Subcommands.Add(CreateConvertTfjs());
        command.Subcommands.Add(CreateVerify());
        return command;
    }

    private static Command CreateConvert()
    {
        var weightsDir = new Option<string>("--weights-dir") { Description = "Directory holding tiny_face_detector_model-weights_manifest.json and its .bin.", Required = true };
        var output = new Option<string>("--out") { Description = "ONNX file to write.", Required = true };
        var inputSize = new Option<int>("--input-size") { Description = "Square input side, a multiple of 32.", DefaultValueFactory = _ => 416 };
        var command = new Command("convert-face-api", "Convert face-api's TinyFaceDetector weights to ONNX.") { weightsDir, output, inputSize };
        command.SetAction(r => Convert(r.GetValue(weightsDir)!, r.GetValue(output)!, r.GetValue(inputSize), Console.Out, Console.Error));
        return command;
    }

    private static Command CreateConvertTfjs()
    {
        var modelJson = new Option<string>("--model-json") { Description = "TFJS graph model (model.json with its weight shards beside it).", Required = true };
        var output = new Option<string>("--out") { Description = "ONNX file to write.", Required = true };
        var outputs = new Option<string?>("--outputs") { Description = "Tensor names to cut the graph at, comma-separated (default: the signature's outputs, or every sink)." };
        var command = new Command("convert-tfjs", "Convert a TensorFlow.js graph model to ONNX.") { modelJson, output, outputs };
        command.SetAction(r => ConvertTfjs(r.GetValue(modelJson)!, r.GetValue(output)!, r.GetValue(outputs), Console.Out, Console.Error));
        return command;
    }

    private static Command CreateVerify()
    {
        var modelsDir = new Option<string>("--models-dir") { Description = "Directory of NAME.yaml manifests.", DefaultValueFactory = _ => new InferenceOptions().ModelsDirectory };
        var names = new Argument<string[]>("NAME") { Description = "Manifests to check; all when none is named.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("verify", "Check manifests, model hashes and tensor shapes (CPU).") { modelsDir, names };
        command.SetAction(r => Verify(r.GetValue(modelsDir)!, r.GetValue(names) ?? [], Console.Out, Console.Error));
        return command;
    }

    internal static int Convert(string weightsDir, string output, int inputSize, TextWriter stdout, TextWriter stderr)
    {
        var manifest = Path.Combine(weightsDir, "tiny_face_detector_model-weights_manifest.json");
        if (!File.Exists(manifest))
        {
            stderr.WriteLine($"sensen-edge models convert-face-api: {manifest} does not exist");
            return ExitCodes.NoInput;
        }

        return WriteConverted("convert-face-api", () => TinyFaceDetectorConverter.Convert(FaceApiWeights.Load(manifest), inputSize), output, stdout, stderr);
    }

    internal static int ConvertTfjs(string modelJson, string output, string? outputs, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(modelJson))
        {
            stderr.WriteLine($"sensen-edge models convert-tfjs: {modelJson} does not exist");
            return ExitCodes.NoInput;
        }

        var names = (outputs ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return WriteConverted("convert-tfjs", () => TfjsConverter.Convert(TfjsGraphModel.Load(modelJson), names), output, stdout, stderr);
    }

    private static int WriteConverted(string verb, Func<byte[]> convert, string output, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var bytes = convert();
            var full = Path.GetFullPath(output);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);

            // Write beside and rename, so a reader never sees half a model.
            var temporary = full + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, full, overwrite: true);
            stdout.WriteLine($"{output}: {bytes.Length} bytes, sha256 {System.Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))}");
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is ModelException or IOException or UnauthorizedAccessException or ArgumentException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            stderr.WriteLine($"sensen-edge models {verb}: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    internal static int Verify(string modelsDir, IReadOnlyList<string> names, TextWriter stdout, TextWriter stderr)
    {
        if (names.Count == 0)
        {
            names = Directory.Exists(modelsDir)
                ? Directory.EnumerateFiles(modelsDir, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList()
                : [];
        }

        if (names.Count == 0)
        {
            stderr.WriteLine($"sensen-edge models verify: no manifests in {modelsDir}");
            return ExitCodes.NoInput;
        }

        var factory = new InferenceSessionFactory(new InferenceOptions { Providers = [ExecutionProviderKind.Cpu], IntraOpThreads = 1 }, Path.GetTempPath());
        var failed = 0;
        foreach (var name in names)
        {
            try
            {
                var model = ModelManifestReader.Read(modelsDir, name);
                using var session = factory.Create(model);
                stdout.WriteLine($"{name}: ok ({ModelShapes.Format(session.InputShape)} → {ModelShapes.Format(session.OutputShapes[0])}, sha256 {model.Sha256})");
            }
            catch (ModelException e)
            {
                stderr.WriteLine(e.Message);
                failed++;
            }
        }

        return failed == 0 ? ExitCodes.Ok : ExitCodes.Config;
    }
}
