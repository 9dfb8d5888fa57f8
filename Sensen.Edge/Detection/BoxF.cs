namespace Sensen.Edge.Detection;

/// <summary>An axis-aligned box, corners in pixels (x right, y down); X2/Y2 exclusive edges.</summary>
internal readonly record struct BoxF(float X1, float Y1, float X2, float Y2)
{
    public float Width => X2 - X1;

    public float Height => Y2 - Y1;

    public float Area => Math.Max(0, Width) * Math.Max(0, Height);

    public static BoxF FromCenter(float cx, float cy, float w, float h) => new(cx - (w / 2), cy - (h / 2), cx + (w / 2), cy + (h / 2));

    public float IntersectionOverUnion(BoxF other)
    {
        var iw = Math.Min(X2, other.X2) - Math.Max(X1, other.X1);
        var ih = Math.Min(Y2, other.Y2) - Math.Max(Y1, other.Y1);
        if (iw <= 0 || ih <= 0)
        {
            return 0;
        }

        var intersection = iw * ih;
        return intersection / (Area + other.Area - intersection);
    }

    public BoxF Clip(float width, float height) =>
        new(Math.Clamp(X1, 0, width), Math.Clamp(Y1, 0, height), Math.Clamp(X2, 0, width), Math.Clamp(Y2, 0, height));

    public override string ToString() => FormattableString.Invariant($"[{X1:0.#}, {Y1:0.#}, {X2:0.#}, {Y2:0.#}]");
}
