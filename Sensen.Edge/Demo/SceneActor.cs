namespace Sensen.Edge.Demo;

/// <summary>One object of the script: what it is, how its picture is made, and where it is when.</summary>
internal sealed record SceneActor(SceneObject Object, SpriteRecipe Recipe, IReadOnlyList<SceneKeyframe> Path)
{
    /// <summary>The top-left corner on the base canvas at base-script time <paramref name="seconds"/>; null before the first keyframe or after the last.</summary>
    public (double X, double Y)? At(double seconds)
    {
        if (seconds < Path[0].Seconds || seconds > Path[^1].Seconds)
        {
            return null;
        }

        for (var i = 1; i < Path.Count; i++)
        {
            var (a, b) = (Path[i - 1], Path[i]);
            if (seconds <= b.Seconds)
            {
                var f = b.Seconds > a.Seconds ? (seconds - a.Seconds) / (b.Seconds - a.Seconds) : 1;
                return (a.X + ((b.X - a.X) * f), a.Y + ((b.Y - a.Y) * f));
            }
        }

        return (Path[^1].X, Path[^1].Y);
    }
}
