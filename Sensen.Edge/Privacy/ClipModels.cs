using Sensen.Edge.Detection;

namespace Sensen.Edge.Privacy;

/// <summary>The models the clip path runs, resolved from <c>privacy:</c>.</summary>
/// <param name="Faces">Face detectors: each on the whole frame and on the upper part of every person box.</param>
/// <param name="Plates">Plate/text detector on every vehicle crop; null only where no camera can record.</param>
/// <param name="Persons">Person detector on the whole frame, beside the live path's persons; optional.</param>
/// <param name="Recognizer">Reads the offender's plate; optional.</param>
/// <param name="RecognizerModel">The recogniser's model, for the summary's hashes.</param>
internal sealed record ClipModels(IReadOnlyList<IClipDetector> Faces, IClipDetector? Plates, IClipDetector? Persons, TextRecognizer? Recognizer = null, ModelDescriptor? RecognizerModel = null)
{
    /// <summary>Model name → SHA-256 of every model above.</summary>
    public IReadOnlyDictionary<string, string> Hashes()
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in Faces.Append(Plates).Append(Persons))
        {
            if (d is not null)
            {
                hashes[d.Model.Name] = d.Model.Sha256;
            }
        }

        if (RecognizerModel is not null)
        {
            hashes[RecognizerModel.Name] = RecognizerModel.Sha256;
        }

        return hashes;
    }
}
