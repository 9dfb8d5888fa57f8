using System.Security.Cryptography;
using Sensen.Edge.Detection;

namespace Sensen.Edge.Tests.Detection;

/// <summary>Small ONNX graphs whose output the test chooses, and manifests for them in a temporary models directory.</summary>
internal static class TestModels
{
    /// <summary>A model with image input <c>[1,3,h,w]</c> whose only output is the constant <paramref name="output"/>.</summary>
    public static byte[] ConstantOutput(int inputWidth, int inputHeight, float[] output, params long[] outputShape)
    {
        var g = new OnnxGraphBuilder("constant");
        g.AddInput("images", 1, 3, inputHeight, inputWidth);
        g.AddNode("Constant", [], "output", OnnxGraphBuilder.Tensor("value", output, outputShape));
        g.AddOutput("output", outputShape);
        return g.ToBytes("tests");
    }

    public static string NewModelsDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sensen-detection-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Writes NAME.onnx and NAME.yaml (file, sha256 of the bytes, then <paramref name="yaml"/>).</summary>
    public static void Write(string directory, string name, byte[] model, string yaml, string? sha256 = null)
    {
        File.WriteAllBytes(Path.Combine(directory, name + ".onnx"), model);
        sha256 ??= Convert.ToHexStringLower(SHA256.HashData(model));
        File.WriteAllText(Path.Combine(directory, name + ".yaml"), $"file: {name}.onnx\nsha256: {sha256}\n{yaml}");
    }

    public static InferenceSessionFactory CpuFactory(InferenceOptions? options = null) =>
        new(options ?? new InferenceOptions { Providers = [ExecutionProviderKind.Cpu], IntraOpThreads = 1 }, Path.GetTempPath());

    public static OnnxDetector Detector(string directory, string name, InferenceSessionFactory? factory = null) =>
        new(name, (factory ?? CpuFactory()).Create(ModelManifestReader.Read(directory, name)));
}
