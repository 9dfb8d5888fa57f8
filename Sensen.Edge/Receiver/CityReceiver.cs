using System.Buffers;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Receiver;

/// <summary>
/// The reference city endpoint: a shared subscription to every device's evidence, reassembly in
/// <see cref="ReceiverStore"/>, and the signed ack once the clip and manifest are written. A message's
/// PUBACK goes out only after its part is on disk, so a killed instance loses nothing the broker let go of.
/// </summary>
internal sealed class CityReceiver : IAsyncDisposable
{
    private readonly MqttSession _session;
    private readonly ReceiverStore _store;
    private readonly AckSigner _signer;
    private readonly string _prefix;
    private readonly string _filter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<(string Topic, byte[] Ack)> _acks = Channel.CreateUnbounded<(string, byte[])>();

    /// <param name="shareGroup">The shared-subscription group; null for a plain subscription (one instance, on a broker
    /// without shared subscriptions such as MQTTnet.Server, which the demo embeds).</param>
    public CityReceiver(MqttEndpoint endpoint, ReceiverStore store, AckSigner signer, string topicPrefix, string? shareGroup, TimeProvider time, ILogger logger)
    {
        _session = new MqttSession(endpoint, time, logger);
        _store = store;
        _signer = signer;
        _prefix = topicPrefix;
        _filter = shareGroup is null ? UplinkProtocol.EvidenceFilter(topicPrefix) : UplinkProtocol.SharedEvidenceFilter(shareGroup, topicPrefix);
        _time = time;
        _logger = logger;
        _session.Connected = SubscribeAsync;
        _session.MessageReceived = OnMessageAsync;
    }

    public ReceiverStore Store => _store;

    public long AcksSent => Interlocked.Read(ref _acksSent);

    public bool IsConnected => _session.IsConnected;

    private long _acksSent;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var connection = Task.Run(() => _session.RunAsync(cancellationToken), CancellationToken.None);
        try
        {
            // Acks are published here, not in the message handler: MQTTnet handles PUBACKs on the loop that
            // runs the handler, so a QoS 1 publish awaited inside it would wait for itself.
            await foreach (var (topic, ack) in _acks.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                while (true)
                {
                    await _session.WhenConnectedAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        var result = await _session.Client.PublishAsync(
                            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(ack)
                                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                                .WithContentType(UplinkProtocol.AckContentType).Build(),
                            cancellationToken).ConfigureAwait(false);
                        if (result.IsSuccess || result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
                        {
                            Interlocked.Increment(ref _acksSent);
                        }
                        else
                        {
                            ReceiverLog.AckRefusedByBroker(_logger, topic, result.ReasonCode.ToString());
                        }

                        break;
                    }
                    catch (MQTTnet.Exceptions.MqttCommunicationException e)
                    {
                        ReceiverLog.AckPublishFailed(_logger, topic, e.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await connection.ConfigureAwait(false);
    }

    private async Task SubscribeAsync(IMqttClient client, MqttClientConnectResult connack, CancellationToken cancellationToken)
    {
        await MqttSession.SubscribeAsync(client, _filter, cancellationToken).ConfigureAwait(false);
        ReceiverLog.Subscribed(_logger, _filter);
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        ReceiveResult result;
        var device = UplinkProtocol.DeviceOf(message.Topic, _prefix);
        try
        {
            result = device is null ? ReceiveResult.Rejected("topic outside the prefix") : await HandleAsync(device, message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EvidenceRejectedException)
        {
            // Not acknowledged at the MQTT level either: the broker redelivers it (to this or another instance).
            ReceiverLog.StoreFailed(_logger, message.Topic, ex.Message);
            e.ProcessingFailed = true;
            e.ReasonCode = MqttApplicationMessageReceivedReasonCode.UnspecifiedError;
            return;
        }

        switch (result.Kind)
        {
            case ReceiveOutcomeKind.Rejected:
                ReceiverLog.Rejected(_logger, message.Topic, result.Reason ?? "");
                break;
            case ReceiveOutcomeKind.Stored or ReceiveOutcomeKind.AlreadyStored:
                if (result.Kind == ReceiveOutcomeKind.Stored)
                {
                    ReceiverLog.Stored(_logger, device!, result.EvidenceId!);
                }

                _acks.Writer.TryWrite((AckTopic(device!), _signer.Received(device!, result.EvidenceId!, result.SealedSha256!, _time.GetUtcNow())));
                break;
            case ReceiveOutcomeKind.Missing:
                ReceiverLog.Missing(_logger, device!, result.EvidenceId!, result.MissingChunks!.Count);
                _acks.Writer.TryWrite((AckTopic(device!), _signer.Missing(device!, result.EvidenceId!, result.SealedSha256!, result.MissingChunks!, _time.GetUtcNow())));
                break;
        }
    }

    private Task<ReceiveResult> HandleAsync(string device, MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        string? Property(string name) => message.UserProperties?.FirstOrDefault(p => p.Name == name)?.ReadValueAsString();
        int? Int(string name) => int.TryParse(Property(name), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
        long? Long(string name) => long.TryParse(Property(name), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

        if (Property(UplinkProtocol.FormatProperty) != UplinkProtocol.Format)
        {
            return Task.FromResult(ReceiveResult.Rejected($"format is not {UplinkProtocol.Format}"));
        }

        var id = Property(UplinkProtocol.EvidenceIdProperty);
        if (id is null || !Guid.TryParseExact(id, "D", out var guid) || guid.ToString("D") != id)
        {
            return Task.FromResult(ReceiveResult.Rejected("evidence_id is not a lower-case UUID"));
        }

        if (Long(UplinkProtocol.SealedBytesProperty) is not { } sealedBytes || Int(UplinkProtocol.ChunkBytesProperty) is not { } chunkBytes || Int(UplinkProtocol.ChunkCountProperty) is not { } count)
        {
            return Task.FromResult(ReceiveResult.Rejected("sealed_bytes, chunk_bytes or chunk_count missing or not a number"));
        }

        var transport = new TransportInfo(sealedBytes, chunkBytes, count);
        var topic = message.Topic;
        ReadOnlyMemory<byte> payload = message.Payload.IsSingleSegment ? message.Payload.First : message.Payload.ToArray();
        if (topic == UplinkProtocol.DeviceTopic(_prefix, device, UplinkProtocol.ManifestTopic))
        {
            byte[] signature;
            try
            {
                signature = Convert.FromBase64String(Property(UplinkProtocol.SignatureProperty) ?? "");
            }
            catch (FormatException)
            {
                return Task.FromResult(ReceiveResult.Rejected("signature is not base64"));
            }

            return _store.ManifestAsync(device, id, transport, payload.ToArray(), signature, cancellationToken);
        }

        if (topic == UplinkProtocol.DeviceTopic(_prefix, device, UplinkProtocol.ChunkTopic))
        {
            return Int(UplinkProtocol.ChunkIndexProperty) is { } index
                ? _store.ChunkAsync(device, id, transport, index, payload, cancellationToken)
                : Task.FromResult(ReceiveResult.Rejected("chunk_index missing or not a number"));
        }

        return Task.FromResult(ReceiveResult.Rejected("not an evidence topic"));
    }

    private string AckTopic(string device) => UplinkProtocol.DeviceTopic(_prefix, device, UplinkProtocol.AckTopic);

    public ValueTask DisposeAsync() => _session.DisposeAsync();
}
