using System.Threading.Channels;
using Sensen.Edge.Configuration;
using Sensen.Edge.Frames;

namespace Sensen.Edge.Ingest;

/// <summary>
/// The ingest → detection edge for every camera, made in one place: a bounded channel per camera
/// in <see cref="BoundedChannelFullMode.DropOldest"/> mode, and that camera's frame pool. This is
/// the pipeline's single drop point (ARCHITECTURE.md): when detection falls behind, the oldest
/// waiting frame is released back to its pool and counted in <c>sensen.edge.ingest.frames_dropped</c>.
/// </summary>
internal sealed class FrameChannels
{
    private readonly Dictionary<string, Channel<Frame>> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FramePool> _pools = new(StringComparer.Ordinal);

    public FrameChannels(EdgeOptions options, IngestTuning tuning, IngestMetrics metrics)
    {
        foreach (var camera in options.Cameras.Select(c => c.Ingest))
        {
            var state = metrics.For(camera.Id);
            var bytes = PixelFormats.FrameBytes(PixelFormat.Bgr24, camera.Analysis.Width, camera.Analysis.Height);
            // Enough buffers for a full channel, the frames detection holds, and the one being read.
            _pools[camera.Id] = new FramePool(bytes, tuning.ChannelCapacity + tuning.FramesInFlight + 1);
            _channels[camera.Id] = Channel.CreateBounded<Frame>(
                new BoundedChannelOptions(tuning.ChannelCapacity)
                {
                    FullMode = BoundedChannelFullMode.DropOldest,
                    SingleWriter = true,
                    SingleReader = true,
                },
                dropped =>
                {
                    dropped.Release();
                    state.FrameDropped();
                });
        }
    }

    public IReadOnlyCollection<string> CameraIds => _channels.Keys;

    public ChannelReader<Frame> Reader(string cameraId) => _channels[cameraId].Reader;

    public ChannelWriter<Frame> Writer(string cameraId) => _channels[cameraId].Writer;

    public FramePool Pool(string cameraId) => _pools[cameraId];
}
