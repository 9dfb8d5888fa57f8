using System.ComponentModel.DataAnnotations;
using Sensen.Edge.Detection;
using Sensen.Edge.Privacy;
using Sensen.Edge.Recording;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Configuration;

/// <summary>
/// The whole configuration file. Keys are the snake_case forms of these property names
/// (<c>Cameras</c> ↔ <c>cameras</c>, <c>PreRollSeconds</c> ↔ <c>pre_roll_seconds</c>).
/// Every section has defaults, so only what differs from them needs writing.
/// </summary>
internal sealed record EdgeOptions
{
    [Required]
    public DeviceOptions Device { get; init; } = new();

    public IReadOnlyList<CameraSection> Cameras { get; init; } = [];

    public InferenceOptions Inference { get; init; } = new();

    public IReadOnlyList<DetectorOptions> Detectors { get; init; } = [];

    public PrivacyOptions Privacy { get; init; } = new();

    public RecordingOptions Recording { get; init; } = new();

    public VaultOptions Vault { get; init; } = new();

    public UplinkOptions Uplink { get; init; } = new();

    public TelemetryOptions Telemetry { get; init; } = new();
}
