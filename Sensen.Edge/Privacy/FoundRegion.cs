using Sensen.Edge.Detection;

namespace Sensen.Edge.Privacy;

/// <summary>
/// A region to obscure, found on one clip frame. Where it lies in a tracked person or vehicle,
/// <see cref="TrackId"/> names the track and <see cref="Relative"/> is the region in that track's box
/// (fractions of its width and height), so other frames can obscure it where the track is there.
/// </summary>
internal readonly record struct FoundRegion(RegionKind Kind, BoxF Box, long? TrackId, BoxF Relative)
{
    public static FoundRegion Anchored(RegionKind kind, BoxF box, TrackedBox? holder) =>
        holder is { } h && h.Box.Width > 0 && h.Box.Height > 0
            ? new(kind, box, h.TrackId, new BoxF((box.X1 - h.Box.X1) / h.Box.Width, (box.Y1 - h.Box.Y1) / h.Box.Height, (box.X2 - h.Box.X1) / h.Box.Width, (box.Y2 - h.Box.Y1) / h.Box.Height))
            : new(kind, box, null, default);

    /// <summary>The region on a frame where its track's box is <paramref name="track"/>.</summary>
    public BoxF On(BoxF track) => new(
        track.X1 + (Relative.X1 * track.Width),
        track.Y1 + (Relative.Y1 * track.Height),
        track.X1 + (Relative.X2 * track.Width),
        track.Y1 + (Relative.Y2 * track.Height));
}
