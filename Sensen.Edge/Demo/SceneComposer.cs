using System.Globalization;

namespace Sensen.Edge.Demo;

/// <summary>
/// Composes the ground-truth street scene (<see cref="SceneScript"/>) from real photographs with the real
/// ffmpeg: ffmpeg cuts, recolours and scales each object's picture out of its photograph and renders its plate
/// in a real font (<c>drawtext</c>); the frames are then pasted together here at whole-pixel positions (so the
/// ground truth is exact, not estimated) and piped raw into ffmpeg's libx264. Output: the clip, its ground
/// truth as JSON and a configuration whose zones and rules match the scene. The same spec gives the same
/// ground truth and configuration, byte for byte.
/// </summary>
internal static class SceneComposer
{
    public const string ClipFileName = "scene.mp4";
    public const string GroundTruthFileName = "scene.json";
    public const string ConfigFileName = "scene.yaml";

    public static async Task<ComposedScene> ComposeAsync(SceneSpec spec, string outputDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = spec.Problems();
        if (problems.Count > 0)
        {
            throw new SceneException("the scene cannot be composed: " + string.Join("; ", problems));
        }

        Directory.CreateDirectory(outputDirectory);
        var sprites = await LoadSpritesAsync(spec, cancellationToken);
        var truth = GroundTruth(spec, sprites);
        var clip = Path.Combine(outputDirectory, ClipFileName);
        await EncodeAsync(spec, sprites, truth, clip, cancellationToken);

        var truthPath = Path.Combine(outputDirectory, GroundTruthFileName);
        await File.WriteAllTextAsync(truthPath, truth.ToJson(), cancellationToken);
        var yaml = SceneConfig.Yaml(spec, clip);
        var configPath = Path.Combine(outputDirectory, ConfigFileName);
        await File.WriteAllTextAsync(configPath, yaml, cancellationToken);
        return new ComposedScene(clip, truthPath, truth, configPath, yaml);
    }

    /// <summary>Each actor's picture, cut and scaled by ffmpeg, in script order.</summary>
    public static async Task<IReadOnlyList<SceneSprite>> LoadSpritesAsync(SceneSpec spec, CancellationToken cancellationToken)
    {
        var sprites = new List<SceneSprite>();
        foreach (var actor in SceneScript.Actors)
        {
            sprites.Add(await LoadSpriteAsync(spec, actor.Recipe, cancellationToken));
        }

        return sprites;
    }

    /// <summary>The ground truth of every frame, from the script alone (no pixels are looked at).</summary>
    public static SceneGroundTruth GroundTruth(SceneSpec spec, IReadOnlyList<SceneSprite> sprites)
    {
        var timeScale = spec.Seconds / SceneScript.BaseSeconds;
        var frames = new List<SceneFrame>(spec.FrameCount);
        for (var i = 0; i < spec.FrameCount; i++)
        {
            var objects = new List<SceneObjectBox>();
            for (var a = 0; a < SceneScript.Actors.Count; a++)
            {
                if (Place(spec, SceneScript.Actors[a], i) is not var (x, y))
                {
                    continue;
                }

                var sprite = sprites[a];
                var full = new PixelBox(x, y, x + sprite.Width, y + sprite.Height);
                var box = full.Clip(spec.Width, spec.Height);
                if (box.IsEmpty)
                {
                    continue;
                }

                objects.Add(new SceneObjectBox(
                    SceneScript.Actors[a].Object.Id,
                    box,
                    Math.Round((double)box.Area / full.Area, 4),
                    Inside(sprite.Plate, x, y, spec),
                    Inside(sprite.Face, x, y, spec)));
            }

            frames.Add(new SceneFrame(i, Math.Round(i / spec.Fps, 6), objects, SceneScript.IsRed(BaseSeconds(spec, i))));
        }

        var violations = SceneScript.BaseViolations.Select(v =>
        {
            var start = Math.Round(v.StartSeconds * timeScale, 3);
            var dwell = v.RuleId switch
            {
                SceneScript.BusLaneRule => SceneScript.BusLaneDwell,
                SceneScript.NoStoppingRule => SceneScript.NoStoppingDwell,
                _ => 0,
            };
            return v with { StartSeconds = start, DecidedSeconds = Math.Round(start + dwell, 3) };
        }).ToList();
        return new SceneGroundTruth
        {
            Width = spec.Width,
            Height = spec.Height,
            Fps = spec.Fps,
            Objects = [.. SceneScript.Actors.Select(a => a.Object)],
            Frames = frames,
            Violations = violations,
        };
    }

    /// <summary>Frame <paramref name="index"/> as BGR24 into <paramref name="bgr"/>: the background, then every actor in script order.</summary>
    public static void Render(SceneSpec spec, IReadOnlyList<SceneSprite> sprites, byte[] background, int index, byte[] bgr)
    {
        background.CopyTo(bgr, 0);
        SceneBackground.DrawSignal(bgr, spec.Width, spec.Height, SceneScript.IsRed(BaseSeconds(spec, index)));
        for (var a = 0; a < SceneScript.Actors.Count; a++)
        {
            if (Place(spec, SceneScript.Actors[a], index) is var (x, y))
            {
                Paste(sprites[a], x, y, bgr, spec.Width, spec.Height);
            }
        }
    }

    private static double BaseSeconds(SceneSpec spec, int index) => index / spec.Fps * SceneScript.BaseSeconds / spec.Seconds;

    private static (int X, int Y)? Place(SceneSpec spec, SceneActor actor, int index)
    {
        if (actor.At(BaseSeconds(spec, index)) is not var (bx, by))
        {
            return null;
        }

        return ((int)Math.Round(bx * spec.Width / SceneScript.BaseWidth, MidpointRounding.AwayFromZero),
            (int)Math.Round(by * spec.Height / SceneScript.BaseHeight, MidpointRounding.AwayFromZero));
    }

    private static PixelBox? Inside(PixelBox? part, int x, int y, SceneSpec spec)
    {
        if (part is not { } p)
        {
            return null;
        }

        var box = p.Offset(x, y).Clip(spec.Width, spec.Height);
        return box.IsEmpty ? null : box;
    }

    private static void Paste(SceneSprite sprite, int x, int y, byte[] bgr, int width, int height)
    {
        var x1 = Math.Max(0, x);
        var x2 = Math.Min(width, x + sprite.Width);
        if (x2 <= x1)
        {
            return;
        }

        for (var row = Math.Max(0, y); row < Math.Min(height, y + sprite.Height); row++)
        {
            var from = (((row - y) * sprite.Width) + (x1 - x)) * 3;
            sprite.Bgr.AsSpan(from, (x2 - x1) * 3).CopyTo(bgr.AsSpan(((row * width) + x1) * 3));
        }
    }

    private static async Task<SceneSprite> LoadSpriteAsync(SceneSpec spec, SpriteRecipe recipe, CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        var width = Even(recipe.BaseWidth * spec.Width / (double)SceneScript.BaseWidth);
        var height = Even(recipe.BaseHeight * spec.Height / (double)SceneScript.BaseHeight);
        var crop = recipe.Crop;
        var filters = new List<string> { string.Create(c, $"crop={crop.Width}:{crop.Height}:{crop.X1}:{crop.Y1}") };
        if (recipe.Look.Length > 0)
        {
            filters.Add(recipe.Look);
        }

        if (recipe.Plate is { } plate)
        {
            // The plate in the crop's pixels: a white plate with a black border and the text centred in a real font.
            var p = plate.Offset(-crop.X1, -crop.Y1);
            var size = (int)(p.Height * 0.55);
            filters.Add(string.Create(c, $"drawbox=x={p.X1}:y={p.Y1}:w={p.Width}:h={p.Height}:color=white:t=fill"));
            filters.Add(string.Create(c, $"drawbox=x={p.X1}:y={p.Y1}:w={p.Width}:h={p.Height}:color=black:t=3"));
            filters.Add(string.Create(c, $"drawtext=fontfile='{spec.PlateFont}':text='{recipe.PlateText}':fontsize={size}:fontcolor=black:x={p.X1 + (p.Width / 2)}-tw/2:y={p.Y1 + (p.Height / 2)}-th/2"));
        }

        filters.Add(string.Create(c, $"scale={width}:{height}:flags=area"));
        var source = Path.Combine(recipe.IsFaceApiPhoto ? spec.FaceApiDemo : spec.OpenCvSamples, recipe.Photo);
        var bgr = await SceneFfmpeg.ReadAsync(
            spec.FfmpegPath,
            ["-i", source, "-frames:v", "1", "-vf", string.Join(',', filters), "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1"],
            cancellationToken);
        if (bgr.Length != width * height * 3)
        {
            throw new SceneException(string.Create(c, $"ffmpeg gave {bgr.Length} bytes for {recipe.Photo} at {width}x{height}, expected {width * height * 3}"));
        }

        return new SceneSprite(
            bgr,
            width,
            height,
            recipe.Plate is { } pl ? recipe.ToSprite(pl, width, height) : null,
            recipe.Face is { } f ? recipe.ToSprite(f, width, height) : null);
    }

    private static async Task EncodeAsync(SceneSpec spec, IReadOnlyList<SceneSprite> sprites, SceneGroundTruth truth, string clip, CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        var background = SceneBackground.Draw(spec.Width, spec.Height);
        var frame = new byte[spec.Width * spec.Height * 3];
        await SceneFfmpeg.WriteAsync(
            spec.FfmpegPath,
            [
                "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", string.Create(c, $"{spec.Width}x{spec.Height}"), "-framerate", spec.Fps.ToString(c), "-i", "pipe:0",
                // A camera-like stream: a key frame every second, no B-frames, quality high enough that patches match their photographs.
                "-c:v", "libx264", "-preset", "veryfast", "-crf", spec.Crf.ToString(c), "-g", ((int)Math.Ceiling(spec.Fps)).ToString(c), "-bf", "0",
                "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4", clip,
            ],
            async stdin =>
            {
                for (var i = 0; i < truth.Frames.Count; i++)
                {
                    Render(spec, sprites, background, i, frame);
                    await stdin.WriteAsync(frame, cancellationToken);
                }
            },
            cancellationToken);
    }

    private static int Even(double value) => Math.Max(2, (int)Math.Round(value / 2) * 2);
}
