using Sensen.Edge.Vault;

namespace Sensen.Edge.Recording;

/// <summary>What every clip's writer shares: ffmpeg, the encoder chosen by probing, and what the manifest says about the unit.</summary>
internal sealed record ClipWriterSettings
{
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>The encoder, once the probe has picked it (awaited by the first frame of each clip).</summary>
    public required Task<ClipEncoder> Encoder { get; init; }

    public int Quality { get; init; } = 23;

    public TimeSpan FinishTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public required string ConfigSha256 { get; init; }

    /// <summary>The live path's models (name → SHA-256), read when a clip is sealed.</summary>
    public Func<IReadOnlyDictionary<string, string>> LiveModels { get; init; } = () => new Dictionary<string, string>();

    /// <summary>The clock's state now (<see cref="ClockSyncReader"/>).</summary>
    public Func<ClockSyncState> Clock { get; init; } = ClockSyncReader.Read;
}
