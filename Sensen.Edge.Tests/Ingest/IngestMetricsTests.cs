using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Sensen.Edge.Ingest;

namespace Sensen.Edge.Tests.Ingest;

public sealed class IngestMetricsTests
{
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
        state.SupervisorCrashed();

        Assert.That(seen, Is.EquivalentTo(new[]
        {
            ("sensen.edge.ingest.frames", 1L, "camera=gate"),
            ("sensen.edge.ingest.reconnects", 1L, "camera=gate"),
            ("sensen.edge.ingest.errors", 1L, "camera=gate,class=CorruptStream"),
            ("sensen.edge.ingest.supervisor_crashes", 1L, "camera=gate"),
        }));
    }
}
