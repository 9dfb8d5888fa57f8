using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Sensen.Edge.Configuration;
using Sensen.Edge.Frames;
using Sensen.Edge.Ingest;

namespace Sensen.Edge.Tests.Ingest;

public sealed class FrameChannelsTests
{
    [Test]
    public void Writer_ChannelFull_OldestDroppedReleasedToPoolAndCounted()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new IngestMetrics(services.GetRequiredService<IMeterFactory>());
        var options = new EdgeOptions { Cameras = [new CameraSection { Ingest = new CameraOptions { Id = "gate", Url = "rtsp://cam/x", Analysis = new AnalysisOptions { Width = 64, Height = 64 } } }] };
        var channels = new FrameChannels(options, new IngestTuning { ChannelCapacity = 2, FramesInFlight = 1 }, metrics);
        var pool = channels.Pool("gate");
        var frames = new List<Frame>();
        for (var i = 0; i < 3; i++)
        {
            Assert.That(pool.TryRent(out var frame), Is.True);
            frame.Describe("gate", 64, 64, PixelFormat.Bgr24, i, TimeSpan.FromSeconds(i), DateTimeOffset.UnixEpoch);
            frames.Add(frame);
            channels.Writer("gate").TryWrite(frame);
        }

        Assert.Multiple(() =>
        {
            Assert.That(pool.Capacity, Is.EqualTo(4));
            Assert.That(metrics.For("gate").Dropped, Is.EqualTo(1));
            Assert.That(pool.InUse, Is.EqualTo(2), "the dropped frame went back to the pool");
            Assert.That(channels.Reader("gate").TryRead(out var oldest), Is.True);
            Assert.That(oldest!.Sequence, Is.EqualTo(1), "frame 0 was the one dropped");
        });
    }

    [Test]
    public void State_Counts_ReachTheMeter()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new IngestMetrics(services.GetRequiredService<IMeterFactory>());
        var seen = new List<(string Instrument, long Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == IngestMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            seen.Add((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.Start();

        var state = metrics.For("gate");
        state.FrameIn();
        state.Reconnected();
        state.Error(DiagnosticKind.CorruptStream);

        Assert.That(seen, Is.EquivalentTo(new[]
        {
            ("sensen.edge.ingest.frames", 1L, "camera=gate"),
            ("sensen.edge.ingest.reconnects", 1L, "camera=gate"),
            ("sensen.edge.ingest.errors", 1L, "camera=gate,class=CorruptStream"),
        }));
    }
}
