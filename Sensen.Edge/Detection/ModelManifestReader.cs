using System.Security.Cryptography;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Detection;

/// <summary>
/// Reads <c>NAME.yaml</c> from a models directory, checks it, and checks that the model file beside it is
/// the one the manifest names (SHA-256). Every refusal is a <see cref="ModelException"/> naming the file.
/// </summary>
internal static class ModelManifestReader
{
    public static ModelDescriptor Read(string modelsDirectory, string name)
    {
        var manifestPath = Path.Combine(modelsDirectory, name + ".yaml");
        var document = ConfigLoader.ReadDocument<ModelManifest>(manifestPath);
        var errors = document.Errors.Select(e => e.ToString()).ToList();
        if (document.Value is not { } manifest)
        {
            throw new ModelException($"model '{name}': " + string.Join("; ", errors));
        }

        void Error(string key, string message)
        {
            var where = document.Marks.TryGetValue(key, out var mark) ? $"{manifestPath}:{mark.Line}:{mark.Column}" : manifestPath;
            errors.Add($"{where} {key}: {message}");
        }

        if (manifest.Mean.Count != 3)
        {
            Error("mean", $"expected 3 values (one per channel), got {manifest.Mean.Count}");
        }

        if (manifest.Std.Count != 3 || manifest.Std.Any(s => s <= 0))
        {
            Error("std", "expected 3 positive values (one per channel)");
        }

        if (manifest.Sha256.Length != 64 || !manifest.Sha256.All(Uri.IsHexDigit))
        {
            Error("sha256", "expected 64 hex digits");
        }

        foreach (var entry in manifest.Classes.Where(c => c.Index >= manifest.NumClasses))
        {
            Error("classes", $"index {entry.Index} is not below num_classes {manifest.NumClasses}");
        }

        if (manifest.Format is not ModelFormat.CtcRecognizer && manifest.Classes.Count == 0)
        {
            Error("classes", "map at least one model class onto a project class (face, plate, person, car, bus, truck, motorcycle, bicycle, text)");
        }

        if (manifest.Format == ModelFormat.TinyYolov2)
        {
            if (manifest.Anchors.Count == 0 || manifest.Anchors.Count % 2 != 0)
            {
                Error("anchors", "tiny_yolov2 needs anchors as width,height pairs");
            }

            if (manifest.InputWidth % manifest.Stride != 0 || manifest.InputHeight % manifest.Stride != 0)
            {
                Error("input_width", $"input size must be a multiple of stride {manifest.Stride}");
            }
        }

        if (manifest.Format == ModelFormat.Dbnet && manifest.Classes.Count != 1)
        {
            Error("classes", "dbnet has exactly one class (index 0), usually text or plate");
        }

        var modelPath = Path.GetFullPath(manifest.File, Path.GetDirectoryName(document.FullPath)!);
        if (errors.Count == 0)
        {
            CheckFile(manifestPath, modelPath, manifest.Sha256, errors);
        }

        if (errors.Count > 0)
        {
            throw new ModelException($"model '{name}' refused: " + string.Join("; ", errors));
        }

        return new ModelDescriptor(name, manifest, document.FullPath, modelPath);
    }

    /// <summary>Hex SHA-256 of a file, streamed.</summary>
    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void CheckFile(string manifestPath, string modelPath, string expected, List<string> errors)
    {
        if (!File.Exists(modelPath))
        {
            errors.Add($"{manifestPath} file: model file {modelPath} does not exist (run ./build.sh, or 'sensen-edge models' to prepare it)");
            return;
        }

        string actual;
        try
        {
            actual = HashFile(modelPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{manifestPath} file: cannot read {modelPath}: {e.Message}");
            return;
        }

        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{manifestPath} sha256: {modelPath} has SHA-256 {actual}, the manifest expects {expected.ToLowerInvariant()} (wrong or altered model file)");
        }
    }
}
