using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Sensen.Edge.Detection;

/// <summary>
/// Picture files for the operator's <c>detect</c> verb only (ImageSharp). The daemon never decodes
/// untrusted images: its frames come from ffmpeg.
/// </summary>
internal static class OperatorImage
{
    /// <summary>Decodes a picture into packed BGR24 pixels.</summary>
    public static (byte[] Bgr, int Width, int Height) Load(string path)
    {
        using var image = Image.Load<Bgr24>(path);
        var pixels = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(MemoryMarshal.Cast<byte, Bgr24>(pixels.AsSpan()));
        return (pixels, image.Width, image.Height);
    }

    /// <summary>Writes the picture with a 3-pixel outline round each box (PNG, or by extension).</summary>
    public static void SaveAnnotated(string path, byte[] bgr, int width, int height, IEnumerable<DetectedObject> detections)
    {
        var copy = (byte[])bgr.Clone();
        foreach (var d in detections)
        {
            var (b, g, r) = d.Class == ObjectClass.Face ? ((byte)0, (byte)255, (byte)0) : ((byte)0, (byte)0, (byte)255);
            var x1 = (int)d.Box.X1;
            var y1 = (int)d.Box.Y1;
            var x2 = Math.Min(width - 1, (int)d.Box.X2);
            var y2 = Math.Min(height - 1, (int)d.Box.Y2);
            for (var y = y1; y <= y2; y++)
            {
                for (var x = x1; x <= x2; x++)
                {
                    var edge = x - x1 < 3 || x2 - x < 3 || y - y1 < 3 || y2 - y < 3;
                    if (edge)
                    {
                        var i = ((y * width) + x) * 3;
                        copy[i] = b;
                        copy[i + 1] = g;
                        copy[i + 2] = r;
                    }
                }
            }
        }

        using var image = Image.LoadPixelData<Bgr24>(copy, width, height);
        image.Save(path);
    }
}
