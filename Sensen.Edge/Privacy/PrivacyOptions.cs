using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Privacy;

/// <summary>
/// The clip path (docs/PRIVACY.md): which detectors it runs on every clip frame, how regions are obscured and
/// how long in time. There is deliberately no switch to turn it off.
/// </summary>
internal sealed record PrivacyOptions
{
    /// <summary>Detector id that finds faces, run on the whole frame and on the upper part of every person box. Required once any camera has rules.</summary>
    public string? FaceDetector { get; init; }

    /// <summary>Further face detectors run the same way (e.g. <c>blazeface</c> for small, distant faces beside <c>face-tiny</c>).</summary>
    public IReadOnlyList<string> FaceDetectors { get; init; } = [];

    /// <summary>Detector id that finds licence plates or text, run on every vehicle crop.</summary>
    public string? PlateDetector { get; init; }

    /// <summary>Detector id that finds people on the whole clip frame, beside the live path's persons; none: the live path's only.</summary>
    public string? PersonDetector { get; init; }

    /// <summary>Model name (<c>models/NAME.yaml</c>, a <c>ctc_recognizer</c>) that reads the offender's plate; none: no plate is read.</summary>
    public string? PlateRecognizer { get; init; }

    /// <summary>Irreversible by default; <c>blur</c> and <c>pixelate</c> are reversible opt-ins that log a warning at start-up.</summary>
    public ObscureMethod Method { get; init; } = ObscureMethod.Fill;

    /// <summary>Frames, before and after, in which a region found on one frame is obscured as well (at its tracked position where it lies in a track).</summary>
    [Range(0, 100)]
    public int PersistenceFrames { get; init; } = 5;

    /// <summary>Frames the clip path waits for after a frame before releasing it, so later finds reach back; at least persistence_frames.</summary>
    [Range(0, 100)]
    public int LookAheadFrames { get; init; } = 5;

    /// <summary>Growth of each box before obscuring, as a fraction of its size (half on each side).</summary>
    [Range(0.0, 1.0)]
    public double Dilation { get; init; } = 0.3;

    /// <summary>Obscure the upper part of every person box as well, for faces the models miss (profiles, backs of heads).</summary>
    public bool HeadRegion { get; init; } = true;

    /// <summary>The part of a person box, from its top, that is its head region.</summary>
    [Range(0.05, 1.0)]
    public double HeadFraction { get; init; } = 0.25;

    /// <summary>The part of a person box, from its top, that the face detectors search (scaled up to their input).</summary>
    [Range(0.05, 1.0)]
    public double FaceCropHeight { get; init; } = 0.5;
}
