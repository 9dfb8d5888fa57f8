using Sensen.Edge.Configuration;

namespace Sensen.Edge.Privacy;

/// <summary>Checks of <c>privacy:</c>: detector references, the look-ahead against persistence, and that recordable cameras can be anonymised.</summary>
internal static class PrivacyOptionsValidator
{
    /// <param name="detectorIds">The detectors defined in the file.</param>
    /// <param name="clipsCanBeRecorded">Whether any camera has rules, so evidence clips can be recorded.</param>
    public static void Validate(ValidationContext context, PrivacyOptions privacy, IReadOnlyList<string> detectorIds, bool clipsCanBeRecorded)
    {
        context.CheckReference("privacy.face_detector", privacy.FaceDetector, detectorIds, "detector", null);
        for (var i = 0; i < privacy.FaceDetectors.Count; i++)
        {
            context.CheckReference($"privacy.face_detectors[{i}]", privacy.FaceDetectors[i], detectorIds, "detector", null);
        }

        context.CheckReference("privacy.plate_detector", privacy.PlateDetector, detectorIds, "detector", null);
        context.CheckReference("privacy.person_detector", privacy.PersonDetector, detectorIds, "detector", null);
        if (privacy.PlateRecognizer is not null && !ValidationContext.IsIdentifier(privacy.PlateRecognizer))
        {
            context.Error("privacy.plate_recognizer", $"'{privacy.PlateRecognizer}' is not a model name (letters, digits, '.', '-', '_')");
        }

        // A region found at frame t reaches back persistence_frames, but forwards only as far as the frames
        // already seen: a shorter look-ahead would quietly shorten persistence into the past.
        if (privacy.LookAheadFrames < privacy.PersistenceFrames)
        {
            context.Error("privacy.look_ahead_frames", $"{privacy.LookAheadFrames} is shorter than persistence_frames ({privacy.PersistenceFrames}): a face found later could not be obscured that far back");
        }

        // Fail closed: a camera that can record evidence must have something to anonymise it with.
        if (!clipsCanBeRecorded)
        {
            return;
        }

        if (privacy.FaceDetector is null && privacy.FaceDetectors.Count == 0)
        {
            context.Error("privacy.face_detector", "cameras have rules, so clips can be recorded: a face detector is required");
        }

        if (privacy.PlateDetector is null)
        {
            context.Error("privacy.plate_detector", "cameras have rules, so clips can be recorded: a plate detector is required");
        }
    }
}
