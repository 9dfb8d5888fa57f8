using System.Globalization;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Tracking;

/// <summary>Checks of <c>cameras[i].tracking</c> that span keys (each key's range is checked where it is read).</summary>
internal static class TrackingOptionsValidator
{
    /// <param name="path">The camera's key path, <c>cameras[i]</c>.</param>
    public static void Validate(ValidationContext context, string path, TrackingOptions tracking)
    {
        var c = CultureInfo.InvariantCulture;
        if (tracking.LowScore >= tracking.HighScore)
        {
            context.Error($"{path}.tracking.low_score", string.Create(c, $"{tracking.LowScore} must be below high_score ({tracking.HighScore}): low-score detections are the ones under it"));
        }

        if (tracking.NewTrackScore < tracking.HighScore)
        {
            context.Error($"{path}.tracking.new_track_score", string.Create(c, $"{tracking.NewTrackScore} must be at least high_score ({tracking.HighScore}): a detection too weak to match a track must not start one"));
        }

        if (tracking.CoastSeconds > tracking.LostSeconds)
        {
            context.Error($"{path}.tracking.coast_seconds", string.Create(c, $"{tracking.CoastSeconds} must not exceed lost_seconds ({tracking.LostSeconds}): a removed track cannot coast"));
        }
    }
}
