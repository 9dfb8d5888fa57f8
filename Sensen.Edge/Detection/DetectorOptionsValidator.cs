using Sensen.Edge.Configuration;

namespace Sensen.Edge.Detection;

/// <summary>Checks of <c>detectors:</c>: ids, that each model's manifest exists and reads, camera references.</summary>
internal static class DetectorOptionsValidator
{
    /// <param name="cameraIds">The cameras defined in the file, which <c>detectors[].cameras</c> may name.</param>
    public static void Validate(ValidationContext context, IReadOnlyList<DetectorOptions> detectors, IReadOnlyList<string> cameraIds)
    {
        var modelsDirectory = context.Config.ModelsDirectory;
        context.CheckUnique("detectors", detectors.Select(d => d.Id));
        for (var i = 0; i < detectors.Count; i++)
        {
            var detector = detectors[i];
            var path = $"detectors[{i}]";
            context.CheckIdentifier($"{path}.id", detector.Id);
            if (!ValidationContext.IsIdentifier(detector.Model))
            {
                context.Error($"{path}.model", $"'{detector.Model}' is not a model name (letters, digits, '.', '-', '_')");
            }
            else if (!File.Exists(Path.Combine(modelsDirectory, detector.Model + ".yaml")))
            {
                var known = Directory.Exists(modelsDirectory)
                    ? Directory.EnumerateFiles(modelsDirectory, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).ToList()
                    : [];
                context.Error($"{path}.model", $"unknown model '{detector.Model}': no manifest {detector.Model}.yaml in {modelsDirectory}{DidYouMean.Suffix(detector.Model, known)}");
            }
            else
            {
                // The manifest's own keys and the model file's hash; tensor shapes are checked when the session starts.
                try
                {
                    ModelManifestReader.Read(modelsDirectory, detector.Model);
                }
                catch (ModelException e)
                {
                    context.Error($"{path}.model", e.Message);
                }
            }

            for (var j = 0; j < detector.Cameras.Count; j++)
            {
                context.CheckReference($"{path}.cameras[{j}]", detector.Cameras[j], cameraIds, "camera", null);
            }

            ValidateCascade(context, detectors, i, cameraIds);
        }
    }

    private static void ValidateCascade(ValidationContext context, IReadOnlyList<DetectorOptions> detectors, int i, IReadOnlyList<string> cameraIds)
    {
        var detector = detectors[i];
        var path = $"detectors[{i}]";
        for (var j = 0; j < detector.CropsOf.Count; j++)
        {
            if (ObjectClasses.Resolve(detector.CropsOf[j]) is null)
            {
                context.Error($"{path}.crops_of[{j}]", $"'{detector.CropsOf[j]}' is not a class or group (vehicle, person, car, bus, truck, motorcycle, bicycle, face, plate, text)");
            }
        }

        if (!detector.Live && (detector.CropsOf.Count > 0 || detector.Interval != 1))
        {
            context.Error($"{path}.live", "a clip-path-only detector (live: false) has no crops_of or interval: those shape the live path's cascade");
            return;
        }

        if (detector.CropsOf.Count == 0)
        {
            return;
        }

        if (detector.Interval != 1)
        {
            context.Error($"{path}.interval", "only primary detectors (without crops_of) have an interval; a secondary runs whenever its primaries do");
        }

        // A secondary needs a primary on each of its cameras to crop from.
        var cameras = detector.Cameras.Count > 0 ? detector.Cameras : cameraIds;
        foreach (var camera in cameras.Where(cameraIds.Contains))
        {
            if (!detectors.Any(d => d.CropsOf.Count == 0 && DetectorSet.RunsLive(d, camera)))
            {
                context.Error($"{path}.crops_of", $"camera '{camera}' has no primary detector (one without crops_of) whose boxes this detector could crop");
                break;
            }
        }
    }
}
