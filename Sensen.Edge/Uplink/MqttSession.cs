using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using Polly;
using Polly.Retry;
using Sensen.Edge.Ingest;

namespace Sensen.Edge.Uplink;

/// <summary>
/// One MQTT 5 client kept connected. MQTTnet 5 has no managed client; its maintainers recommend a task
/// of our own that watches the connection and reconnects (MQTTnet Samples/Client/Client_Connection_Samples.cs,
/// "Reconnect_Using_Timer"), which this is, with Polly's exponential back-off and jitter between attempts.
/// The session is persistent (Clean Start 0, Session Expiry &gt; 0, MQTT 5 §3.1.2.4/§3.1.2.11.2) so QoS 1
/// messages for us (acks) wait at the broker while we are away; subscriptions are still renewed on every
/// connect, since a broker that lost its state (a SIGKILL) answers Session Present 0.
/// </summary>
internal sealed partial class MqttSession : IAsyncDisposable
{
    private readonly MqttEndpoint _endpoint;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly ResiliencePipeline _connect;
    private readonly Lock _gate = new();
    private TaskCompletionSource<MqttClientConnectResult> _connected = NewSource();
    private TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MqttSession(MqttEndpoint endpoint, TimeProvider time, ILogger logger)
    {
        _endpoint = endpoint;
        _time = time;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _options = BuildOptions(endpoint);
        _connect = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && !(e is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)),
                MaxRetryAttempts = int.MaxValue,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    IngestBackoff.Delay(args.AttemptNumber, endpoint.BackoffBase, endpoint.BackoffMax, Random.Shared.NextDouble())),
                OnRetry = args =>
                {
                    LogConnectFailed(_endpoint.Broker.Host, _endpoint.Port, Describe(args.Outcome.Exception), args.RetryDelay.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    /// <summary>Called after every successful connect, before anyone sees the connection: subscribe here.</summary>
    public Func<IMqttClient, MqttClientConnectResult, CancellationToken, Task>? Connected { get; set; }

    /// <summary>Called once on a clean stop while still connected, before the DISCONNECT (publish <c>offline</c> here).</summary>
    public Func<IMqttClient, Task>? Stopping { get; set; }

    /// <summary>Every application message received (acks for the device, evidence for the receiver). The PUBACK goes out when it returns.</summary>
    public Func<MqttApplicationMessageReceivedEventArgs, Task> MessageReceived
    {
        set => _client.ApplicationMessageReceivedAsync += value;
    }

    public IMqttClient Client => _client;

    public MqttEndpoint Endpoint => _endpoint;

    public bool IsConnected => _client.IsConnected;

    /// <summary>Waits for a live connection and returns its CONNACK (with the broker's limits).</summary>
    public Task<MqttClientConnectResult> WhenConnectedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _connected.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Connects, and reconnects whenever the connection drops, until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Task dropped;
            lock (_gate)
            {
                _disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                dropped = _disconnected.Task;
            }

            try
            {
                await _connect.ExecuteAsync(ConnectOnceAsync, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await dropped.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        if (_client.IsConnected && Stopping is { } stopping)
        {
            try
            {
                await stopping(_client).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
            {
                LogStoppingFailed(Describe(e));
            }
        }

        if (_client.IsConnected)
        {
            // A clean DISCONNECT (reason 0) keeps the session (and the will is not sent); MQTT 5 §3.14.
            await _client.TryDisconnectAsync(MqttClientDisconnectOptionsReason.NormalDisconnection).ConfigureAwait(false);
        }
    }

    private async ValueTask ConnectOnceAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_endpoint.ConnectTimeout);
        MqttClientConnectResult result;
        try
        {
            result = await _client.ConnectAsync(_options, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no CONNACK within {_endpoint.ConnectTimeout.TotalSeconds:0} s");
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new MqttConnectRefusedException(result.ResultCode, result.ReasonString);
        }

        if (Connected is { } connected)
        {
            await connected(_client, result, cancellationToken).ConfigureAwait(false);
        }

        LogConnected(_endpoint.Broker.Host, _endpoint.Port, _endpoint.ClientId, result.IsSessionPresent, result.MaximumPacketSize ?? 0);
        lock (_gate)
        {
            _connected.TrySetResult(result);
        }
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        lock (_gate)
        {
            if (_connected.Task.IsCompleted)
            {
                _connected = NewSource();
            }

            _disconnected.TrySetResult();
        }

        if (e.ClientWasConnected)
        {
            LogDisconnected(_endpoint.Broker.Host, e.Reason.ToString(), Describe(e.Exception));
        }

        return Task.CompletedTask;
    }

    /// <summary>Subscribes with QoS 1; a refused filter (SUBACK reason 0x80 or above, MQTT 5 §3.9.3) throws <see cref="UplinkSendException"/>.</summary>
    public static async Task SubscribeAsync(IMqttClient client, string filter, CancellationToken cancellationToken)
    {
        var result = await client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build(),
            cancellationToken).ConfigureAwait(false);
        foreach (var item in result.Items)
        {
            if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
            {
                throw new UplinkSendException($"the broker refused the subscription to {filter}: {item.ResultCode}");
            }
        }
    }

    private static MqttClientOptions BuildOptions(MqttEndpoint endpoint)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(endpoint.Broker.Host, endpoint.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(endpoint.ClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(endpoint.SessionExpirySeconds)
            .WithKeepAlivePeriod(endpoint.KeepAlive)
            .WithTimeout(endpoint.ConnectTimeout);
        if (endpoint.WillTopic is { } willTopic)
        {
            builder.WithWillTopic(willTopic)
                .WithWillPayload(System.Text.Encoding.UTF8.GetBytes(endpoint.WillPayload ?? string.Empty))
                .WithWillRetain()
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        if (!endpoint.Insecure)
        {
            builder.WithTlsOptions(tls => tls
                .UseTls()
                .WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13)
                .WithTargetHost(endpoint.Broker.Host)
                // CustomRootTrust: the system store is not consulted, only the city CA (MQTTnet MqttTcpChannel.WrapWithTlsAsync).
                .WithTrustChain(endpoint.TrustRoots!)
                // A city CA on a closed network publishes no CRL or OCSP responder that the unit could reach.
                .WithRevocationMode(X509RevocationMode.NoCheck)
                .WithClientCertificates([endpoint.ClientCertificate!]));
        }

        return builder.Build();
    }

    private static TaskCompletionSource<MqttClientConnectResult> NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The innermost message: TLS and socket errors are wrapped by MQTTnet.</summary>
    internal static string Describe(Exception? e)
    {
        if (e is null)
        {
            return "no error";
        }

        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return ReferenceEquals(inner, e) ? e.Message : $"{e.Message} ({inner.Message})";
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.TryDisconnectAsync().ConfigureAwait(false);
        }

        _client.Dispose();
    }

    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Connected to {Host}:{Port} as {ClientId} (session present {SessionPresent}, broker maximum packet {MaximumPacket} bytes; 0 is no limit)")]
    private partial void LogConnected(string host, int port, string clientId, bool sessionPresent, uint maximumPacket);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Cannot connect to {Host}:{Port}: {Reason}; retrying in {DelaySeconds:0.0} s")]
    private partial void LogConnectFailed(string host, int port, string reason, double delaySeconds);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Could not say goodbye before disconnecting: {Error}")]
    private partial void LogStoppingFailed(string error);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Connection to {Host} lost ({Reason}): {Error}; reconnecting")]
    private partial void LogDisconnected(string host, string reason, string error);
}
