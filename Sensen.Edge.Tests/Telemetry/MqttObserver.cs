using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Uplink;

namespace Sensen.Edge.Tests.Telemetry;

/// <summary>A control-room client on the test broker (operator identity in its ACL): records every message under a filter, retained ones too.</summary>
internal sealed class MqttObserver : IAsyncDisposable
{
    private readonly MqttSession _session;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private MqttObserver(MqttSession session, string filter)
    {
        _session = session;
        _session.Connected = (client, _, ct) => MqttSession.SubscribeAsync(client, filter, ct);
        _session.MessageReceived = e =>
        {
            Messages.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload), e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
        _run = Task.Run(() => _session.RunAsync(_stop.Token));
    }

    public ConcurrentQueue<(string Topic, string Payload, bool Retained)> Messages { get; } = new();

    public MqttSession Session => _session;

    public IEnumerable<string> On(string topic) => Messages.Where(m => m.Topic == topic).Select(m => m.Payload);

    public static async Task<MqttObserver> StartAsync(MosquittoBroker broker, string clientId, string filter, CancellationToken cancellationToken)
    {
        var (certificate, key) = broker.Pki.IssueClient(clientId);
        var session = new MqttSession(Endpoint(broker, clientId, certificate, key), TimeProvider.System, NullLogger.Instance);
        var observer = new MqttObserver(session, filter);
        await session.WhenConnectedAsync(cancellationToken);
        return observer;
    }

    public static MqttEndpoint Endpoint(MosquittoBroker broker, string clientId, string certificate, string keyPem) => new()
    {
        Broker = new Uri(broker.Url),
        ClientId = clientId + "-" + Guid.NewGuid().ToString("N")[..6],
        TrustRoots = UplinkCredentials.LoadTrustRoots(broker.Pki.CaPath, "ca_file"),
        ClientCertificate = UplinkCredentials.LoadClientCertificate(certificate, "client_certificate", keyPem, "key"),
        SessionExpirySeconds = 0,
        BackoffBase = TimeSpan.FromMilliseconds(200),
        BackoffMax = TimeSpan.FromSeconds(2),
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        await _session.DisposeAsync();
        _stop.Dispose();
    }
}
