namespace Sensen.Edge.Rules;

/// <summary>
/// What the rules stage looks for on one camera: its zones, lines and rules. Written in the camera's own
/// YAML mapping (<c>cameras[0].zones</c>) beside the ingest keys; see <c>Configuration/CameraSection</c>.
/// </summary>
internal sealed record CameraRulesOptions
{
    public IReadOnlyList<ZoneOptions> Zones { get; init; } = [];

    public IReadOnlyList<LineOptions> Lines { get; init; } = [];

    public IReadOnlyList<RuleOptions> Rules { get; init; } = [];
}
