using System.Globalization;
using MQTTnet;
using MQTTnet.Protocol;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Uplink;

/// <summary>
/// Publishes one item's messages (docs/PROTOCOL.md, "Evidence messages"): the signed manifest, then the
/// chunks, QoS 1, with at most <c>window</c> PUBLISHes waiting for their PUBACK and the bandwidth cap
/// applied before each chunk. A PUBACK only means the broker took the message; it is never receipt.
/// Memory: at most <c>window</c> chunks at a time.
/// </summary>
internal sealed class EvidencePublisher
{
    private readonly string _manifestTopic;
    private readonly string _chunkTopic;
    private readonly int _window;
    private readonly BandwidthLimiter _limiter;

    public EvidencePublisher(string prefix, string deviceId, int window, BandwidthLimiter limiter)
    {
        _manifestTopic = UplinkProtocol.DeviceTopic(prefix, deviceId, UplinkProtocol.ManifestTopic);
        _chunkTopic = UplinkProtocol.DeviceTopic(prefix, deviceId, UplinkProtocol.ChunkTopic);
        _window = window;
        _limiter = limiter;
    }

    /// <summary>Chunks and bytes the broker accepted since start (metrics and the benchmark read these).</summary>
    public long ChunksSent => Interlocked.Read(ref _chunksSent);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    private long _chunksSent;
    private long _bytesSent;

    public async Task PublishManifestAsync(IMqttClient client, EvidenceVault vault, EvidenceRecord item, ChunkPlan plan, CancellationToken cancellationToken)
    {
        var (json, signature) = vault.ReadManifest(item.Id);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(_manifestTopic)
            .WithPayload(json)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType(UplinkProtocol.ManifestContentType)
            .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
            .WithUserProperty(UplinkProtocol.FormatProperty, UplinkProtocol.Utf8(UplinkProtocol.Format))
            .WithUserProperty(UplinkProtocol.EvidenceIdProperty, UplinkProtocol.Utf8(item.Id))
            .WithUserProperty(UplinkProtocol.SignatureProperty, UplinkProtocol.Utf8(Convert.ToBase64String(signature)))
            .WithUserProperty(UplinkProtocol.SealedBytesProperty, UplinkProtocol.Utf8(Invariant(item.SealedBytes)))
            .WithUserProperty(UplinkProtocol.ChunkBytesProperty, UplinkProtocol.Utf8(Invariant(plan.ChunkBytes)))
            .WithUserProperty(UplinkProtocol.ChunkCountProperty, UplinkProtocol.Utf8(Invariant(plan.Count)))
            .Build();
        Check(await client.PublishAsync(message, cancellationToken).ConfigureAwait(false), item.Id, "manifest");
    }

    /// <summary>Publishes the given chunks (all of them on a first send; the city's missing list on a re-send).</summary>
    public async Task PublishChunksAsync(IMqttClient client, EvidenceVault vault, EvidenceRecord item, ChunkPlan plan, IEnumerable<int> indices, CancellationToken cancellationToken)
    {
        var reader = new SealedBlobReader(vault, item.Id);
        var inFlight = new List<Task<(MqttClientPublishResult Result, int Index, int Bytes)>>(_window);
        try
        {
            foreach (var index in indices)
            {
                var length = plan.Length(index);
                await _limiter.WaitAsync(length, cancellationToken).ConfigureAwait(false);
                var payload = reader.Read(plan.Offset(index), length);
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(_chunkTopic)
                    .WithPayload(payload)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithContentType(UplinkProtocol.ChunkContentType)
                    .WithUserProperty(UplinkProtocol.FormatProperty, UplinkProtocol.Utf8(UplinkProtocol.Format))
                    .WithUserProperty(UplinkProtocol.EvidenceIdProperty, UplinkProtocol.Utf8(item.Id))
                    .WithUserProperty(UplinkProtocol.ChunkIndexProperty, UplinkProtocol.Utf8(Invariant(index)))
                    .WithUserProperty(UplinkProtocol.ChunkCountProperty, UplinkProtocol.Utf8(Invariant(plan.Count)))
                    .WithUserProperty(UplinkProtocol.ChunkBytesProperty, UplinkProtocol.Utf8(Invariant(plan.ChunkBytes)))
                    .WithUserProperty(UplinkProtocol.SealedBytesProperty, UplinkProtocol.Utf8(Invariant(item.SealedBytes)))
                    .Build();
                inFlight.Add(PublishOne(client, message, index, length, cancellationToken));
                if (inFlight.Count >= _window)
                {
                    var done = await Task.WhenAny(inFlight).ConfigureAwait(false);
                    inFlight.Remove(done);
                    Completed(await done.ConfigureAwait(false), item.Id);
                }
            }

            foreach (var outcome in await Task.WhenAll(inFlight).ConfigureAwait(false))
            {
                Completed(outcome, item.Id);
            }
        }
        finally
        {
            // A failure leaves other publishes pending; observe them so none is an unobserved fault.
            foreach (var pending in inFlight)
            {
                _ = pending.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
    }

    private static async Task<(MqttClientPublishResult, int, int)> PublishOne(IMqttClient client, MqttApplicationMessage message, int index, int bytes, CancellationToken cancellationToken) =>
        (await client.PublishAsync(message, cancellationToken).ConfigureAwait(false), index, bytes);

    private void Completed((MqttClientPublishResult Result, int Index, int Bytes) outcome, string evidenceId)
    {
        Check(outcome.Result, evidenceId, $"chunk {outcome.Index}");
        Interlocked.Increment(ref _chunksSent);
        Interlocked.Add(ref _bytesSent, outcome.Bytes);
    }

    private static void Check(MqttClientPublishResult result, string evidenceId, string what)
    {
        // 0x10 "no matching subscribers" is a success (MQTT 5 §3.4.2.1): the broker has the message, no receiver is up yet.
        if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            throw new UplinkSendException($"the broker refused the {what} of {evidenceId}: {result.ReasonCode}{(string.IsNullOrEmpty(result.ReasonString) ? "" : $" ({result.ReasonString})")}");
        }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
