namespace Sensen.Edge.Demo;

/// <summary>
/// Parameters of a composed street scene. The script is laid out on a 1280×720, 12 s canvas and scaled to
/// <see cref="Width"/>×<see cref="Height"/> and <see cref="Seconds"/>; the sources are the photographs
/// <c>build.sh</c> fetches (never committed).
/// </summary>
internal sealed record SceneSpec
{
    public int Width { get; init; } = 1280;

    public int Height { get; init; } = 720;

    public double Fps { get; init; } = 10;

    /// <summary>Clip length. Shorter clips move vehicles faster; below 8 s a car outruns the tracker's IoU association.</summary>
    public double Seconds { get; init; } = 12;

    /// <summary>libx264 constant rate factor (18: visually lossless, so patches match their photographs).</summary>
    public int Crf { get; init; } = 18;

    /// <summary>Debian opencv-doc's sample data: <c>licenseplate_motion.jpg</c> (the car).</summary>
    public string OpenCvSamples { get; init; } = "/usr/share/doc/opencv-doc/examples/data";

    /// <summary>The face-api npm package's <c>demo/</c> folder: <c>sample4.jpg</c>, <c>sample6.jpg</c> (the people).</summary>
    public required string FaceApiDemo { get; init; }

    /// <summary>The font plates are rendered in (Debian fonts-dejavu-core).</summary>
    public string PlateFont { get; init; } = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf";

    public string FfmpegPath { get; init; } = "ffmpeg";

    public int FrameCount => (int)Math.Round(Seconds * Fps);

    /// <summary>Every problem with the spec, empty when it can be composed.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Width < 320 || Width > 3840 || Width % 2 != 0)
        {
            problems.Add(FormattableString.Invariant($"width {Width}: use an even number of pixels from 320 to 3840"));
        }

        if (Height < 180 || Height > 2160 || Height % 2 != 0)
        {
            problems.Add(FormattableString.Invariant($"height {Height}: use an even number of pixels from 180 to 2160"));
        }

        if (Fps is < 2 or > 60)
        {
            problems.Add(FormattableString.Invariant($"fps {Fps}: use 2 to 60"));
        }

        if (Seconds is < 8 or > 120)
        {
            problems.Add(FormattableString.Invariant($"seconds {Seconds}: use 8 to 120 (shorter scenes move vehicles too fast to track)"));
        }

        if (Crf is < 0 or > 51)
        {
            problems.Add(FormattableString.Invariant($"crf {Crf}: libx264 takes 0 to 51"));
        }

        foreach (var file in new[] { Path.Combine(OpenCvSamples, SceneScript.CarPhoto), Path.Combine(FaceApiDemo, SceneScript.PeoplePhoto), PlateFont })
        {
            if (!File.Exists(file))
            {
                problems.Add($"{file} is missing (./build.sh installs opencv-doc, the DejaVu fonts and fetches face-api into .cache)");
            }
        }

        return problems;
    }
}
