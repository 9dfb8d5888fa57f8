using Sensen.Edge.Detection;

namespace Sensen.Edge.Demo;

/// <summary>A box in whole pixels of the composed frame (x right, y down), X2/Y2 exclusive.</summary>
internal readonly record struct PixelBox(int X1, int Y1, int X2, int Y2)
{
    public int Width => X2 - X1;

    public int Height => Y2 - Y1;

    public bool IsEmpty => Width <= 0 || Height <= 0;

    public int Area => IsEmpty ? 0 : Width * Height;

    public BoxF ToBoxF() => new(X1, Y1, X2, Y2);

    public PixelBox Offset(int dx, int dy) => new(X1 + dx, Y1 + dy, X2 + dx, Y2 + dy);

    public PixelBox Clip(int width, int height) =>
        new(Math.Clamp(X1, 0, width), Math.Clamp(Y1, 0, height), Math.Clamp(X2, 0, width), Math.Clamp(Y2, 0, height));

    public override string ToString() => FormattableString.Invariant($"[{X1}, {Y1}, {X2}, {Y2}]");
}
