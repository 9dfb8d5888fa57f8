using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sensen.Edge.Cli;

namespace Sensen.Edge.Detection;

/// <summary>
/// <c>sensen-edge detect --model NAME --image FILE [--json] [--out annotated.png]</c>: runs one model on one
/// picture so an operator can check a model (and its manifest) before configuring it.
/// </summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Manifest name (models/NAME.yaml).", Required = true };
        var image = new Option<string>("--image") { Description = "Picture file (JPEG, PNG, BMP…).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the detections as JSON." };
        var output = new Option<string?>("--out") { Description = "Write the picture with the boxes drawn." };
        var modelsDir = new Option<string>("--models-dir") { Description = "Directory of manifests.", DefaultValueFactory = _ => DefaultModelsDirectory() };
        var confidence = new Option<double?>("--confidence") { Description = "Overrides the manifest's confidence threshold." };
        var cpu = new Option<bool>("--cpu") { Description = "Use the CPU provider only." };
        var command = new Command("detect", "Run a model on a picture and report the boxes.") { model, image, json, output, modelsDir, confidence, cpu };
        command.SetAction(r => Execute(
            r.GetValue(modelsDir)!,
            r.GetValue(model)!,
            r.GetValue(image)!,
            r.GetValue(json),
            r.GetValue(output),
            r.GetValue(confidence),
            r.GetValue(cpu),
            Console.Out,
            Console.Error));
        return command;
    }

    internal static int Execute(string modelsDir, string name, string imagePath, bool json, string? outPath, double? confidence, bool cpuOnly, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(imagePath))
        {
            stderr.WriteLine($"sensen-edge detect: {imagePath} does not exist");
            return ExitCodes.NoInput;
        }

        (byte[] Bgr, int Width, int Height) picture;
        try
        {
            picture = OperatorImage.Load(imagePath);
        }
        catch (Exception e) when (e is SixLabors.ImageSharp.ImageFormatException or SixLabors.ImageSharp.UnknownImageFormatException or IOException)
        {
            stderr.WriteLine($"sensen-edge detect: cannot decode {imagePath}: {e.Message}");
            return ExitCodes.NoInput;
        }

        try
        {
            var options = new InferenceOptions { Providers = cpuOnly ? [ExecutionProviderKind.Cpu] : new InferenceOptions().Providers };
            var factory = new InferenceSessionFactory(options, Path.Combine(Path.GetTempPath(), "sensen-edge"));
            var descriptor = ModelManifestReader.Read(modelsDir, name);
            using var detector = new OnnxDetector(name, factory.Create(descriptor), confidence);
            var results = new List<DetectedObject>();
            detector.Detect(picture.Bgr, picture.Width, picture.Height, results);
            if (json)
            {
                var document = new
                {
                    model = name,
                    provider = DetectionMetrics.ProviderName(detector.Provider),
                    width = picture.Width,
                    height = picture.Height,
                    detections = results.Select(d => new
                    {
                        @class = Configuration.SnakeCase.From(d.Class.ToString()),
                        score = Math.Round(d.Score, 4),
                        box = new[] { Math.Round(d.Box.X1, 1), Math.Round(d.Box.Y1, 1), Math.Round(d.Box.X2, 1), Math.Round(d.Box.Y2, 1) },
                    }),
                };
                stdout.WriteLine(JsonSerializer.Serialize(document));
            }
            else
            {
                stderr.WriteLine($"{name} on {DetectionMetrics.ProviderName(detector.Provider)}: {results.Count} detection(s) in {picture.Width}x{picture.Height}");
                foreach (var d in results)
                {
                    stdout.WriteLine(d.ToString());
                }
            }

            if (outPath is not null)
            {
                OperatorImage.SaveAnnotated(outPath, picture.Bgr, picture.Width, picture.Height, results);
            }

            return ExitCodes.Ok;
        }
        catch (ModelException e)
        {
            stderr.WriteLine(e.Message);
            return ExitCodes.Config;
        }
    }

    private static string DefaultModelsDirectory()
    {
        // Beside the installed binary (/usr/lib/sensen-edge/models), else the documented default.
        var beside = Path.Combine(AppContext.BaseDirectory, "models");
        return Directory.Exists(beside) ? beside : new InferenceOptions().ModelsDirectory;
    }
}
