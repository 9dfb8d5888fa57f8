using Sensen.Edge.Configuration;

namespace Sensen.Edge.Privacy;

/// <summary>Checks of <c>privacy:</c>: detector references, and that recordable cameras can be anonymised.</summary>
internal static class PrivacyOptionsValidator
{
    /// <param name="detectorIds">The detectors defined in the file.</param>
    /// <param name="clipsCanBeRecorded">Whether any camera has rules, so evidence clips can be recorded.</param>
    public static void Validate(ValidationContext context, PrivacyOptions privacy, IReadOnlyList<string> detectorIds, bool clipsCanBeRecorded)
    {
        context.CheckReference("privacy.face_detector", privacy.FaceDetector, detectorIds, "detector", null);
        context.CheckReference("privacy.plate_detector", privacy.PlateDetector, detectorIds, "detector", null);
        context.CheckReference("privacy.person_detector", privacy.PersonDetector, detectorIds, "detector", null);

        // Fail closed: a camera that can record evidence must have something to anonymise it with.
        if (!clipsCanBeRecorded)
        {
            return;
        }

        if (privacy.FaceDetector is null)
        {
            context.Error("privacy.face_detector", "cameras have rules, so clips can be recorded: a face detector is required");
        }

        if (privacy.PlateDetector is null)
        {
            context.Error("privacy.plate_detector", "cameras have rules, so clips can be recorded: a plate detector is required");
        }
    }
}
