namespace Sensen.Edge.Demo;

/// <summary>
/// How one object's picture is cut from a real photograph: the crop, an optional hue turn (so one car photo
/// gives cars of several colours), a plate rendered with a real font over the photo's own plate, and where the
/// face is. Rectangles are in the source photograph's pixels; the size is on the 1280×720 base canvas.
/// </summary>
/// <param name="Photo">File name: <see cref="SceneScript.CarPhoto"/> (in opencv-doc) or a face-api sample.</param>
/// <param name="Crop">The part of the photograph pasted into the scene.</param>
/// <param name="BaseWidth">Width on the base canvas.</param>
/// <param name="BaseHeight">Height on the base canvas.</param>
/// <param name="Look">An ffmpeg filter chain applied after the crop (<c>hflip</c>, <c>eq=…</c>), empty for none.</param>
/// <param name="Plate">The plate's rectangle, painted white with <paramref name="PlateText"/> in black; null for a person.</param>
/// <param name="PlateText">The plate's text.</param>
/// <param name="Face">The face's rectangle (measured by eye on a 50 px grid over the photograph), null for a vehicle.</param>
internal sealed record SpriteRecipe(string Photo, PixelBox Crop, int BaseWidth, int BaseHeight, string Look, PixelBox? Plate, string? PlateText, PixelBox? Face)
{
    public bool IsFaceApiPhoto => Photo.StartsWith("sample", StringComparison.Ordinal);

    /// <summary>A rectangle of the source photograph in the pixels of a sprite <paramref name="width"/>×<paramref name="height"/>, grown to whole pixels.</summary>
    public PixelBox ToSprite(PixelBox source, int width, int height)
    {
        var sx = (double)width / Crop.Width;
        var sy = (double)height / Crop.Height;
        return new PixelBox(
            (int)Math.Floor((source.X1 - Crop.X1) * sx),
            (int)Math.Floor((source.Y1 - Crop.Y1) * sy),
            (int)Math.Ceiling((source.X2 - Crop.X1) * sx),
            (int)Math.Ceiling((source.Y2 - Crop.Y1) * sy)).Clip(width, height);
    }
}
