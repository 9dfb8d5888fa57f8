using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sensen.Edge.Cli;

namespace Sensen.Edge.Detection;

/// <summary>
/// <c>sensen-edge detect --model NAME --image FILE [--json] [--out annotated.png]</c>: runs one model on one
/// picture so an operator can check a model (and its manifest) before configuring it; with
/// <c>--config FILE --camera ID</c> instead, that camera's whole detector cascade.
/// </summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Manifest name (models/NAME.yaml)." };
        var config = new Option<string?>("--config") { Description = "Configuration file: run the camera's detector cascade (with --camera) instead of one model." };
        var camera = new Option<string?>("--camera") { Description = "Camera id in --config whose detectors run." };
        var image = new Option<string>("--image") { Description = "Picture file (JPEG, PNG, BMP…).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the detections as JSON." };
        var output = new Option<string?>("--out") { Description = "Write the picture with the boxes drawn." };
        var modelsDir = new Option<string>("--models-dir") { Description = "Directory of manifests (with --model).", DefaultValueFactory = _ => DefaultModelsDirectory() };
        var confidence = new Option<double?>("--confidence") { Description = "Overrides the manifest's confidence threshold (with --model)." };
        var cpu = new Option<bool>("--cpu") { Description = "Use the CPU provider only." };
        var command = new Command("detect", "Run a model, or a camera's detector cascade, on a picture and report the boxes.") { model, config, camera, image, json, output, modelsDir, confidence, cpu };
        command.SetAction(r =>
        {
            var configPath = r.GetValue(config);
            if ((r.GetValue(model) is null) == (configPath is null) || (configPath is null) != (r.GetValue(camera) is null))
            {
                Console.Error.WriteLine("sensen-edge detect: give either --model NAME, or --config FILE with --camera ID");
                return ExitCodes.Usage;
            }

            return configPath is not null
                ? ExecuteCascade(configPath, r.GetValue(camera)!, r.GetValue(image)!, r.GetValue(json), r.GetValue(output), r.GetValue(cpu), Console.Out, Console.Error)
                : Execute(
                    r.GetValue(modelsDir)!,
                    r.GetValue(model)!,
                    r.GetValue(image)!,
                    r.GetValue(json),
                    r.GetValue(output),
                    r.GetValue(confidence),
                    r.GetValue(cpu),
                    Console.Out,
                    Console.Error);
        });
        return command;
    }

    internal static int Execute(string modelsDir, string name, string imagePath, bool json, string? outPath, double? confidence, bool cpuOnly, TextWriter stdout, TextWriter stderr)
    {
        if (!TryLoad(imagePath, stderr, out var picture))
        {
            return ExitCodes.NoInput;
        }

        try
        {
            var descriptor = ModelManifestReader.Read(modelsDir, name);
            using var detector = new OnnxDetector(name, Factory(cpuOnly).Create(descriptor), confidence);
            var results = new List<DetectedObject>();
            detector.Detect(picture.Bgr, picture.Width, picture.Height, results);
            Report(name, DetectionMetrics.ProviderName(detector.Provider), picture, results, json, outPath, stdout, stderr);
            return ExitCodes.Ok;
        }
        catch (ModelException e)
        {
            stderr.WriteLine(e.Message);
            return ExitCodes.Config;
        }
    }

    /// <summary>Runs camera <paramref name="cameraId"/>'s detector cascade from a configuration file, as the daemon would.</summary>
    internal static int ExecuteCascade(string configPath, string cameraId, string imagePath, bool json, string? outPath, bool cpuOnly, TextWriter stdout, TextWriter stderr)
    {
        var loaded = Configuration.ConfigLoader.Load(configPath);
        if (!loaded.IsValid)
        {
            foreach (var error in loaded.Errors)
            {
                stderr.WriteLine(error.ToString());
            }

            return loaded.FileMissing ? ExitCodes.NoInput : ExitCodes.Config;
        }

        var config = loaded.Config!;
        var cameras = config.Options.Cameras.Select(c => c.Id).ToList();
        if (!cameras.Contains(cameraId))
        {
            stderr.WriteLine($"sensen-edge detect: camera '{cameraId}' is not in {configPath}; defined: {string.Join(", ", cameras)}");
            return ExitCodes.Usage;
        }

        if (!TryLoad(imagePath, stderr, out var picture))
        {
            return ExitCodes.NoInput;
        }

        try
        {
            var mine = config.Options.Detectors.Where(d => d.Cameras.Count == 0 || d.Cameras.Contains(cameraId)).ToList();
            using var set = DetectorSet.Create(mine, config.ModelsDirectory, Factory(cpuOnly));
            var cascade = set.CascadeFor(cameraId, mine);
            var frame = new Frames.FramePool(picture.Bgr.Length, 1);
            if (!frame.TryRent(out var f))
            {
                throw new InvalidOperationException("frame pool exhausted");
            }

            f.Describe(cameraId, picture.Width, picture.Height, Frames.PixelFormat.Bgr24, 0, TimeSpan.Zero, DateTimeOffset.UnixEpoch);
            picture.Bgr.CopyTo(f.Pixels);
            var results = new List<DetectedObject>();
            cascade.Run(f, results);
            var providers = string.Join(",", set.All.Select(d => DetectionMetrics.ProviderName(d.Provider)).Distinct());
            Report($"camera {cameraId} ({string.Join(", ", mine.Select(d => d.Id))})", providers, picture, results, json, outPath, stdout, stderr);
            return ExitCodes.Ok;
        }
        catch (ModelException e)
        {
            stderr.WriteLine(e.Message);
            return ExitCodes.Config;
        }
    }

    private static InferenceSessionFactory Factory(bool cpuOnly)
    {
        var options = new InferenceOptions { Providers = cpuOnly ? [ExecutionProviderKind.Cpu] : new InferenceOptions().Providers };
        return new InferenceSessionFactory(options, Path.Combine(Path.GetTempPath(), "sensen-edge"));
    }

    private static bool TryLoad(string imagePath, TextWriter stderr, out (byte[] Bgr, int Width, int Height) picture)
    {
        picture = default;
        if (!File.Exists(imagePath))
        {
            stderr.WriteLine($"sensen-edge detect: {imagePath} does not exist");
            return false;
        }

        try
        {
            picture = OperatorImage.Load(imagePath);
            return true;
        }
        catch (Exception e) when (e is SixLabors.ImageSharp.ImageFormatException or SixLabors.ImageSharp.UnknownImageFormatException or IOException)
        {
            stderr.WriteLine($"sensen-edge detect: cannot decode {imagePath}: {e.Message}");
            return false;
        }
    }

    private static void Report(string name, string provider, (byte[] Bgr, int Width, int Height) picture, List<DetectedObject> results, bool json, string? outPath, TextWriter stdout, TextWriter stderr)
    {
        if (json)
        {
            var document = new
            {
                model = name,
                provider,
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
            stderr.WriteLine($"{name} on {provider}: {results.Count} detection(s) in {picture.Width}x{picture.Height}");
            foreach (var d in results)
            {
                stdout.WriteLine(d.ToString());
            }
        }

        if (outPath is not null)
        {
            OperatorImage.SaveAnnotated(outPath, picture.Bgr, picture.Width, picture.Height, results);
        }
    }

    /// <summary>
    /// The installed models (<c>/usr/lib/sensen-edge/models</c>) when present, else a <c>models/</c> beside the
    /// executable or one level up (a fresh build runs <c>out/sensen-edge</c> beside the repository's <c>models/</c>).
    /// </summary>
    internal static string DefaultModelsDirectory(string? installed = null, string? executableDirectory = null)
    {
        installed ??= new InferenceOptions().ModelsDirectory;
        executableDirectory ??= AppContext.BaseDirectory;
        if (Directory.Exists(installed))
        {
            return installed;
        }

        string[] candidates = [Path.Combine(executableDirectory, "models"), Path.GetFullPath(Path.Combine(executableDirectory, "..", "models"))];
        return candidates.FirstOrDefault(Directory.Exists) ?? installed;
    }
}
