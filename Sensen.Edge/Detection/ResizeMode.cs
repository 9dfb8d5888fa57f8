namespace Sensen.Edge.Detection;

/// <summary>How a frame is fitted into the model's input.</summary>
internal enum ResizeMode
{
    /// <summary>Keep the aspect ratio, pad the rest with <see cref="ModelManifest.PadValue"/>.</summary>
    Letterbox,

    /// <summary>Scale each axis independently to fill the input.</summary>
    Stretch,

    /// <summary>
    /// Scale to the input height; keep the aspect ratio unless that is wider than the input, then squeeze
    /// to its width; pad the right (PP-OCR's text recogniser, <c>resize_norm_img</c>).
    /// </summary>
    FitHeight,
}
