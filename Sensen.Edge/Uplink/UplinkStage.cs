using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Uplink;

/// <summary>
/// Delivers the vault to the city (docs/PROTOCOL.md): oldest first, held items too, one item at a time,
/// each as its signed manifest then its chunks. An item waits in <c>awaiting_ack</c> until the city's
/// signed ack names it and its sealed hash; only then does <see cref="EvidenceVault.Acknowledge"/> delete
/// it. A <c>missing</c> ack re-sends just those chunks; no ack within <c>ack_timeout_seconds</c> re-sends the
/// manifest, which asks the city where it stands. The vault is the resend store, so a restart, a dropped
/// connection or a broker that lost its state costs re-sends, never evidence.
/// </summary>
internal sealed class UplinkStage : BackgroundService
{
    /// <summary>An ack is a JWS of a few hundred bytes; anything far larger is refused unread.</summary>
    internal const int MaxAckBytes = 8 * 1024;

    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan SetupRetry = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan SendRetry = TimeSpan.FromSeconds(1);

    private readonly EvidenceVault _vault;
    private readonly Func<MqttEndpoint> _endpoint;
    private MqttSession _session = null!;
    private readonly AckVerifier _verifier;
    private readonly UplinkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EvidencePublisher _publisher;
    private readonly string _ackTopic;
    private readonly ConcurrentDictionary<string, AwaitingItem> _awaiting = new(StringComparer.Ordinal);
    private readonly Channel<VerifiedAck> _missing = Channel.CreateBounded<VerifiedAck>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Meter _meter = new("Sensen.Edge.Uplink");
    private readonly Counter<long> _acks;
    private readonly Counter<long> _sendFailures;
    private readonly DeviceMqtt? _device;

    /// <param name="endpoint">Loads the TLS material; an <see cref="UplinkException"/> (CA file missing, say) is logged and retried every minute while the vault keeps the evidence.</param>
    /// <param name="device">Availability, telemetry, commands and signal feeds on the same session; null: evidence only.</param>
    public UplinkStage(EvidenceVault vault, Func<MqttEndpoint> endpoint, AckVerifier verifier, UplinkOptions options, string deviceId, TimeProvider time, ILogger logger, DeviceMqtt? device = null)
    {
        _device = device;
        _vault = vault;
        _endpoint = endpoint;
        _verifier = verifier;
        _options = options;
        _time = time;
        _logger = logger;
        _publisher = new EvidencePublisher(options.TopicPrefix, deviceId, options.WindowChunks, new BandwidthLimiter(options.BandwidthBytesPerSecond, time));
        _ackTopic = UplinkProtocol.DeviceTopic(options.TopicPrefix, deviceId, UplinkProtocol.AckTopic);
        _acks = _meter.CreateCounter<long>("sensen.uplink.acks", description: "Verified acks, by outcome (deleted, missing, unknown, hash_mismatch, not_awaiting_ack, replayed)");
        _sendFailures = _meter.CreateCounter<long>("sensen.uplink.send_failures", description: "Items whose sending was cut (connection lost, broker refused)");
        _meter.CreateObservableCounter("sensen.uplink.chunks_sent", () => _publisher.ChunksSent, description: "Chunks the broker accepted (PUBACK; not receipt)");
        _meter.CreateObservableCounter("sensen.uplink.bytes_sent", () => _publisher.BytesSent, unit: "By", description: "Sealed bytes the broker accepted");
        _meter.CreateObservableGauge("sensen.uplink.connected", () => _session?.IsConnected == true ? 1 : 0, description: "1 while connected to the broker");
        _meter.CreateObservableGauge("sensen.uplink.insecure", () => _session?.Endpoint.Insecure == true ? 1 : 0, description: "1 when uplink.allow_insecure put the transport in plaintext");
    }

    /// <summary>Set once the endpoint loaded; tests wait on it.</summary>
    public bool IsConnected => _session?.IsConnected == true;

    /// <summary>Acks since start that did not delete, by outcome (<c>refused_REASON</c>, <c>missing</c>, <c>unknown</c>, …); tests read it, the meters export the same.</summary>
    public ConcurrentDictionary<string, long> Outcomes { get; } = new(StringComparer.Ordinal);

    public EvidencePublisher Publisher => _publisher;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        MqttEndpoint endpoint;
        while (true)
        {
            try
            {
                endpoint = _endpoint();
                break;
            }
            catch (UplinkException e)
            {
                // Not fatal: the unit goes on recording into the vault, which keeps everything until the uplink can start.
                _logger.CannotStart(e.Message);
                try
                {
                    await Task.Delay(SetupRetry, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        if (_device is not null)
        {
            endpoint = _device.WithWill(endpoint);
        }

        _session = new MqttSession(endpoint, _time, _logger);
        _session.Connected = SubscribeAsync;
        _session.MessageReceived = e => OnMessageAsync(e, stoppingToken);
        _device?.Attach(_session);
        await using var session = _session;
        if (_session.Endpoint.Insecure)
        {
            _logger.InsecureTransport(_session.Endpoint.Broker.ToString());
        }

        Recover();
        var connection = Task.Run(() => _session.RunAsync(stoppingToken), CancellationToken.None);
        try
        {
            await DeliverAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever was mid-send stays in the vault and goes again at the next start.
        }

        await connection.ConfigureAwait(false);
    }

    /// <summary>A send cut by a stop or a crash starts over; items that were waiting for an ack ask for it at once.</summary>
    private void Recover()
    {
        var now = _time.GetUtcNow();
        foreach (var item in _vault.List())
        {
            if (item.State == EvidenceState.Sending)
            {
                _vault.Requeue(item.Id, "send_interrupted");
            }
            else if (item.State == EvidenceState.AwaitingAck)
            {
                _awaiting[item.Id] = new AwaitingItem(item.Id, item.SealedSha256, item.SealedBytes, now);
            }
        }
    }

    private async Task DeliverAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var connack = await _session.WhenConnectedAsync(cancellationToken).ConfigureAwait(false);
            if (ChunkPlan.EffectiveChunkBytes(_options.ChunkBytes, connack.MaximumPacketSize) is not { } chunkBytes)
            {
                _logger.PacketLimitTooSmall(connack.MaximumPacketSize ?? 0);
                await Task.Delay(TimeSpan.FromSeconds(30), _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var worked = false;
            try
            {
                worked = await ResendMissingAsync(chunkBytes, cancellationToken).ConfigureAwait(false)
                    | await ProbeAsync(chunkBytes, cancellationToken).ConfigureAwait(false)
                    | await SendNextAsync(chunkBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MqttCommunicationException or UplinkSendException or VaultException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                // The connection dropped or the broker refused: the session reconnects, and the items stay in the vault.
                _logger.VaultFailed(MqttSession.Describe(e));
                await Task.Delay(IdlePoll, _time, cancellationToken).ConfigureAwait(false);
            }

            if (!worked)
            {
                await Task.WhenAny(_missing.Reader.WaitToReadAsync(cancellationToken).AsTask(), Task.Delay(IdlePoll, _time, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private async Task<bool> SendNextAsync(int chunkBytes, CancellationToken cancellationToken)
    {
        var next = _vault.NextToSend();
        if (next is null)
        {
            return false;
        }

        var plan = new ChunkPlan(next.SealedBytes, chunkBytes);
        var item = _vault.MarkSending(next.Id);
        try
        {
            await _publisher.PublishManifestAsync(_session.Client, _vault, item, plan, cancellationToken).ConfigureAwait(false);
            await _publisher.PublishChunksAsync(_session.Client, _vault, item, plan, Enumerable.Range(0, plan.Count), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MqttCommunicationException or UplinkSendException or OperationCanceledException)
        {
            _sendFailures.Add(1);
            _logger.SendFailed(item.Id, MqttSession.Describe(e));
            TryRequeue(item.Id);
            if (e is OperationCanceledException)
            {
                throw;
            }

            // The connection is usually gone; MQTTnet reports that a moment later. Without this pause the loop
            // would start the item again at once, and fail again, each time two vault commits.
            await Task.Delay(SendRetry, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }

        // Tracked before the state changes, so an ack that arrives at once finds the item.
        _awaiting[item.Id] = new AwaitingItem(item.Id, item.SealedSha256, item.SealedBytes, _time.GetUtcNow().AddSeconds(_options.AckTimeoutSeconds));
        if (_vault.Find(item.Id) is { State: EvidenceState.Sending })
        {
            _vault.MarkAwaitingAck(item.Id);
        }

        _logger.Sent(item.Id, plan.Count, plan.ChunkBytes, item.SealedBytes);
        return true;
    }

    private void TryRequeue(string evidenceId)
    {
        try
        {
            if (_vault.Find(evidenceId) is { State: EvidenceState.Sending })
            {
                _vault.Requeue(evidenceId, "send_failed");
            }
        }
        catch (VaultException e)
        {
            _logger.VaultFailed(e.Message);
        }
    }

    /// <summary>Items whose ack is overdue: the manifest goes again, and the city answers received or missing.</summary>
    private async Task<bool> ProbeAsync(int chunkBytes, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var worked = false;
        foreach (var waiting in _awaiting.Values.Where(a => a.ProbeDue <= now).OrderBy(a => a.EvidenceId, StringComparer.Ordinal).ToList())
        {
            if (_vault.Find(waiting.EvidenceId) is not { } item)
            {
                _awaiting.TryRemove(waiting.EvidenceId, out _);
                continue;
            }

            waiting.ProbeDue = now.AddSeconds(_options.AckTimeoutSeconds);
            _logger.Probing(item.Id);
            await _publisher.PublishManifestAsync(_session.Client, _vault, item, new ChunkPlan(item.SealedBytes, chunkBytes), cancellationToken).ConfigureAwait(false);
            worked = true;
        }

        return worked;
    }

    private async Task<bool> ResendMissingAsync(int chunkBytes, CancellationToken cancellationToken)
    {
        var worked = false;
        while (_missing.Reader.TryRead(out var ack))
        {
            if (!_awaiting.TryGetValue(ack.EvidenceId, out var waiting) || _vault.Find(ack.EvidenceId) is not { } item)
            {
                continue;
            }

            var plan = new ChunkPlan(item.SealedBytes, chunkBytes);
            var chunks = ack.MissingChunks.Where(i => i >= 0 && i < plan.Count).ToList();
            _logger.ResendingMissing(item.Id, chunks.Count);
            if (chunks.Count < ack.MissingChunks.Count)
            {
                // Indices beyond this chunk size's count: the city reassembles with another size (the broker's
                // limit changed between connects). The manifest announces the current size and everything goes again.
                await _publisher.PublishManifestAsync(_session.Client, _vault, item, plan, cancellationToken).ConfigureAwait(false);
                chunks = [.. Enumerable.Range(0, plan.Count)];
            }

            await _publisher.PublishChunksAsync(_session.Client, _vault, item, plan, chunks, cancellationToken).ConfigureAwait(false);
            waiting.ProbeDue = _time.GetUtcNow().AddSeconds(_options.AckTimeoutSeconds);
            worked = true;
        }

        return worked;
    }

    private async Task SubscribeAsync(IMqttClient client, MqttClientConnectResult connack, CancellationToken cancellationToken)
    {
        try
        {
            await MqttSession.SubscribeAsync(client, _ackTopic, cancellationToken).ConfigureAwait(false);
        }
        catch (UplinkSendException e)
        {
            _logger.AckSubscribeFailed(_ackTopic, e.Message);
            throw;
        }

        if (_device is not null)
        {
            await _device.OnConnectedAsync(client, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e, CancellationToken cancellationToken)
    {
        var message = e.ApplicationMessage;
        if (!string.Equals(message.Topic, _ackTopic, StringComparison.Ordinal))
        {
            return _device is null ? Task.CompletedTask : _device.DispatchAsync(message, cancellationToken);
        }

        if (message.Payload.Length > MaxAckBytes)
        {
            _logger.AckRefused("too_large", $"an ack of {message.Payload.Length} bytes (at most {MaxAckBytes})");
            Refused("too_large");
            return Task.CompletedTask;
        }

        HandleAck(message.Payload.ToArray());
        return Task.CompletedTask;
    }

    /// <summary>Verifies an ack and applies it. Public for the fuzz test, which feeds it bytes directly as well as through the broker.</summary>
    internal void HandleAck(byte[] payload)
    {
        var verification = _verifier.Verify(payload);
        if (verification.Ack is not { } ack)
        {
            Refused(AckVerifier.ReasonName(verification.Refusal!.Value));
            return;
        }

        var waiting = _awaiting.GetValueOrDefault(ack.EvidenceId);
        if (waiting is not null)
        {
            lock (waiting)
            {
                if (waiting.LastAckIssuedAt is { } last && ack.IssuedAt <= last)
                {
                    NotApplied(ack.EvidenceId, "replayed");
                    return;
                }

                waiting.LastAckIssuedAt = ack.IssuedAt;
            }
        }

        if (ack.Type == AckType.Missing)
        {
            if (waiting is null || !string.Equals(waiting.SealedSha256, ack.SealedSha256, StringComparison.Ordinal))
            {
                NotApplied(ack.EvidenceId, waiting is null ? "unknown" : "hash_mismatch");
                return;
            }

            _acks.Add(1, new KeyValuePair<string, object?>("outcome", "missing"));
            Outcomes.AddOrUpdate("missing", 1, (_, n) => n + 1);
            _missing.Writer.TryWrite(ack);
            return;
        }

        AckResult result;
        try
        {
            result = _vault.Acknowledge(ack);
        }
        catch (VaultException e)
        {
            _logger.VaultFailed(e.Message);
            return;
        }

        if (result == AckResult.Deleted)
        {
            _awaiting.TryRemove(ack.EvidenceId, out _);
            _acks.Add(1, new KeyValuePair<string, object?>("outcome", "deleted"));
            _logger.Delivered(ack.EvidenceId, ack.KeyId);
            return;
        }

        NotApplied(ack.EvidenceId, result switch
        {
            AckResult.Unknown => "unknown",
            AckResult.HashMismatch => "hash_mismatch",
            AckResult.NotAwaitingAck => "not_awaiting_ack",
            _ => "not_a_receipt",
        });
    }

    /// <summary>The verifier has logged (once per item and reason) and counted it (<c>sensen.vault.acks_refused</c>).</summary>
    private void Refused(string reason) => Outcomes.AddOrUpdate("refused_" + reason, 1, (_, n) => n + 1);

    private void NotApplied(string evidenceId, string outcome)
    {
        _acks.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        Outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        _logger.AckNotApplied(evidenceId, outcome);
    }

    public override void Dispose()
    {
        _meter.Dispose();
        base.Dispose();
    }
}
