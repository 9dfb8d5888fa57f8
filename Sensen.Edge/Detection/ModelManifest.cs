using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Detection;

/// <summary>
/// <c>models/NAME.yaml</c>: what a model file is and how to feed and read it. Bound by
/// <see cref="Configuration.ConfigLoader.ReadDocument{T}"/>; checked by <see cref="ModelManifestReader"/>.
/// docs/MODELS.md documents every key.
/// </summary>
internal sealed record ModelManifest
{
    /// <summary>Model file, relative to the manifest.</summary>
    [Required]
    public string File { get; init; } = "";

    /// <summary>Lower-case hex SHA-256 of the model file; a different file is refused.</summary>
    [Required]
    public string Sha256 { get; init; } = "";

    public ModelFormat Format { get; init; }

    [Range(1, 8192)]
    public int InputWidth { get; init; } = 640;

    [Range(1, 8192)]
    public int InputHeight { get; init; } = 640;

    public TensorLayout Layout { get; init; } = TensorLayout.Nchw;

    public ColorOrder ColorOrder { get; init; } = ColorOrder.Rgb;

    public ResizeMode Resize { get; init; } = ResizeMode.Letterbox;

    public PadAlign PadAlign { get; init; } = PadAlign.Center;

    /// <summary>Pixel value (0..255, all channels) of letterbox padding, before normalisation.</summary>
    [Range(0, 255)]
    public int PadValue { get; init; } = 114;

    /// <summary>Per channel, in the model's colour order, in pixel units: input = (pixel - mean) / std.</summary>
    public IReadOnlyList<double> Mean { get; init; } = [0, 0, 0];

    /// <summary>Per channel, in pixel units; YOLO's "divide by 255" is std 255.</summary>
    public IReadOnlyList<double> Std { get; init; } = [255, 255, 255];

    /// <summary>Number of classes the model outputs (C in the output shapes).</summary>
    [Range(1, 10_000)]
    public int NumClasses { get; init; } = 1;

    /// <summary>Model class index → project class; detections of unmapped indices are dropped.</summary>
    public IReadOnlyList<ClassMapEntry> Classes { get; init; } = [];

    [Range(0.0, 1.0)]
    public double Confidence { get; init; } = 0.25;

    [Range(0.0, 1.0)]
    public double IouThreshold { get; init; } = 0.45;

    /// <summary>TinyYOLOv2 anchors as width,height pairs in grid cells: <c>[w0, h0, w1, h1, …]</c>.</summary>
    public IReadOnlyList<double> Anchors { get; init; } = [];

    /// <summary>Grid cell size in input pixels for TinyYOLOv2 (32 for five stride-2 pools).</summary>
    [Range(1, 1024)]
    public int Stride { get; init; } = 32;

    /// <summary>CenterNet: how many heatmap peaks are decoded at most (the graph's own TopKV2 takes 100).</summary>
    [Range(1, 10_000)]
    public int TopK { get; init; } = 100;

    /// <summary>
    /// BlazeFace: MediaPipe <c>SsdAnchorsCalculator</c> strides, one per layer (face_detection_back: 16, 32, 32, 32);
    /// consecutive layers of one stride share a feature map with two anchors per layer.
    /// </summary>
    public IReadOnlyList<int> AnchorStrides { get; init; } = [];

    /// <summary>
    /// BlazeFace: anchors each layer adds per cell. 2 (aspect ratio 1 and the interpolated scale) for the short-range
    /// and back models; 1 for the full-range model (face_detection_full_range.pbtxt: interpolated_scale_aspect_ratio 0).
    /// </summary>
    [Range(1, 8)]
    public int AnchorsPerLayer { get; init; } = 2;

    /// <summary>DBNet: probability above which a pixel is text.</summary>
    [Range(0.0, 1.0)]
    public double BinaryThreshold { get; init; } = 0.3;

    /// <summary>DBNet: how far a region's box is grown (PP-OCR's <c>unclip_ratio</c>).</summary>
    [Range(0.0, 10.0)]
    public double UnclipRatio { get; init; } = 1.5;

    /// <summary>DBNet: regions with a shorter side (input pixels) are ignored.</summary>
    [Range(0, 1000)]
    public int MinSize { get; init; } = 3;

    /// <summary>CTC recogniser: character list, one per line, relative to the manifest (index 0 is the blank).</summary>
    public string? Keys { get; init; }

    /// <summary>Where the model comes from and under which licence.</summary>
    public string? Source { get; init; }
}
