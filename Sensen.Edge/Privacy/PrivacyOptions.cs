using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Privacy;

/// <summary>How faces and bystanders' plates are obscured. There is deliberately no switch to turn it off.</summary>
internal sealed record PrivacyOptions
{
    /// <summary>Detector id that finds faces. Required once any camera has rules.</summary>
    public string? FaceDetector { get; init; }

    /// <summary>Detector id that finds licence plates.</summary>
    public string? PlateDetector { get; init; }

    /// <summary>Detector id that finds people (whole bodies are not obscured, but face search uses them).</summary>
    public string? PersonDetector { get; init; }

    public ObscureMethod Method { get; init; } = ObscureMethod.Pixelate;

    /// <summary>Frames a region stays obscured after its detector last saw it.</summary>
    [Range(0, 100)]
    public int PersistenceFrames { get; init; } = 5;

    /// <summary>Growth of each box before obscuring, as a fraction of its size.</summary>
    [Range(0.0, 1.0)]
    public double Dilation { get; init; } = 0.2;
}
