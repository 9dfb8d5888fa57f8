using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Detection;

/// <summary>One detector: a model manifest plus the thresholds this installation uses with it.</summary>
internal sealed record DetectorOptions
{
    [Required]
    public string Id { get; init; } = "";

    /// <summary>Manifest name in the models directory (<c>models/NAME.yaml</c>).</summary>
    [Required]
    public string Model { get; init; } = "";

    /// <summary>Overrides the manifest's default confidence threshold.</summary>
    [Range(0.0, 1.0)]
    public double? Confidence { get; init; }

    /// <summary>Overrides the manifest's default NMS IoU threshold.</summary>
    [Range(0.0, 1.0)]
    public double? IouThreshold { get; init; }

    /// <summary>Cameras this detector runs on; all cameras when empty.</summary>
    public IReadOnlyList<string> Cameras { get; init; } = [];

    /// <summary>
    /// Cascade: the classes (or the group <c>vehicle</c>) of primary boxes this detector runs on, as crops of
    /// the frame; empty: it is a primary detector and runs on the whole frame.
    /// </summary>
    public IReadOnlyList<string> CropsOf { get; init; } = [];

    /// <summary>Secondary detectors: the part of each box, from its top, that is cropped (0.4: a person's head and shoulders).</summary>
    [Range(0.05, 1.0)]
    public double CropHeight { get; init; } = 1.0;

    /// <summary>
    /// False: the detector runs on the clip path only (the privacy section names it) and never on the live path,
    /// where it would cost every analysed frame for nothing the rules use (a text detector takes about 0.7 s a
    /// frame on a small CPU, docs/DEMO-SCENE.md).
    /// </summary>
    public bool Live { get; init; } = true;

    /// <summary>Primary detectors: run on every Nth frame of a camera; the frames between are not analysed.</summary>
    [Range(1, 1000)]
    public int Interval { get; init; } = 1;
}
