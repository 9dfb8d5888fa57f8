using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Ingest;

/// <summary>The rate and size at which frames enter the pipeline (ffmpeg scales and drops to these).</summary>
internal sealed record AnalysisOptions
{
    [Range(0.5, 60)]
    public double Fps { get; init; } = 10;

    [Range(64, 7680)]
    public int Width { get; init; } = 1280;

    [Range(64, 4320)]
    public int Height { get; init; } = 720;
}
