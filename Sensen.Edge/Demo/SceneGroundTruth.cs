using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sensen.Edge.Demo;

/// <summary>
/// What the composed clip contains, frame by frame: every vehicle's and person's box, every plate (with its
/// text and whose it is) and every face, and the violations the scene was made to contain. Computed from the
/// scene's script, not measured from the clip, so the same spec gives the same ground truth byte for byte.
/// </summary>
internal sealed record SceneGroundTruth
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required double Fps { get; init; }

    public required IReadOnlyList<SceneObject> Objects { get; init; }

    public required IReadOnlyList<SceneFrame> Frames { get; init; }

    public required IReadOnlyList<ExpectedViolation> Violations { get; init; }

    public SceneObject Object(string id) => Objects.Single(o => o.Id == id);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SceneGroundTruth FromJson(string json) =>
        JsonSerializer.Deserialize<SceneGroundTruth>(json, Json) ?? throw new JsonException("ground truth is null");
}
