using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Sensen.Edge.Demo;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Demo;

/// <summary>The demo's embedded broker: mutual TLS on loopback, nothing else gets in.</summary>
internal sealed class DemoBrokerTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Broker_ClientWithDemoCertificate_ConnectsAndRoutesTheReceiversFilter(CancellationToken cancellationToken)
    {
        using var pki = new Pki();
        await using var broker = await DemoBroker.StartAsync(pki.Broker, pki.Ca, 0, cancellationToken);
        broker.Watch("sensen/unit/telemetry");

        using var receiver = new MqttClientFactory().CreateMqttClient();
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult(e.ApplicationMessage.Topic + " " + Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            return Task.CompletedTask;
        };
        var connack = await receiver.ConnectAsync(Options(broker, "receiver", pki.Ca, pki.Client("receiver")), cancellationToken);
        Assert.That(connack.ResultCode, Is.EqualTo(MqttClientConnectResultCode.Success));
        // The reference receiver's filter without a share group (MQTTnet.Server has no shared subscriptions).
        var suback = await receiver.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(UplinkProtocol.EvidenceFilter("sensen"), MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        Assert.That(suback.Items.Single().ResultCode, Is.EqualTo(MqttClientSubscribeResultCode.GrantedQoS1));

        using var device = new MqttClientFactory().CreateMqttClient();
        await device.ConnectAsync(Options(broker, "unit", pki.Ca, pki.Client("unit")), cancellationToken);
        var result = await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("sensen/unit/evidence/manifest").WithPayload("m").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        Assert.That(result.IsSuccess, Is.True, result.ReasonCode.ToString());
        await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("sensen/unit/telemetry").WithPayload("{\"t\":1}").Build(), cancellationToken);

        Assert.That(await received.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken), Is.EqualTo("sensen/unit/evidence/manifest m"));
        await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("sensen/unit/telemetry").WithPayload("{\"t\":2}").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        Assert.That(Encoding.UTF8.GetString(broker.Latest("sensen/unit/telemetry")!), Is.EqualTo("{\"t\":2}"), "the latest message on a watched topic");
        Assert.That(broker.Latest("sensen/unit/availability"), Is.Null, "a topic not watched");
        Assert.That(broker.RefusedClients, Is.Zero);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Broker_ClientWithoutCertificate_IsRefusedInTheHandshake(CancellationToken cancellationToken)
    {
        using var pki = new Pki();
        await using var broker = await DemoBroker.StartAsync(pki.Broker, pki.Ca, 0, cancellationToken);
        using var client = new MqttClientFactory().CreateMqttClient();
        Assert.That(async () => await client.ConnectAsync(Options(broker, "anonymous", pki.Ca, null), cancellationToken), Throws.InstanceOf<Exception>());
        Assert.That(client.IsConnected, Is.False);
        Assert.That(broker.RefusedClients, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Broker_ClientCertificateFromAnotherCa_IsRefused(CancellationToken cancellationToken)
    {
        using var pki = new Pki();
        using var other = new Pki();
        await using var broker = await DemoBroker.StartAsync(pki.Broker, pki.Ca, 0, cancellationToken);
        using var client = new MqttClientFactory().CreateMqttClient();
        Assert.That(async () => await client.ConnectAsync(Options(broker, "stranger", pki.Ca, other.Client("stranger")), cancellationToken), Throws.InstanceOf<Exception>());
        Assert.That(client.IsConnected, Is.False);
        Assert.That(broker.RefusedClients, Is.GreaterThanOrEqualTo(1));
    }

    private static MqttClientOptions Options(DemoBroker broker, string clientId, X509Certificate2 ca, X509Certificate2? certificate) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Url.Host, broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithTimeout(TimeSpan.FromSeconds(5))
            .WithTlsOptions(tls =>
            {
                tls.UseTls().WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13).WithTargetHost(broker.Url.Host)
                    .WithTrustChain([ca]).WithRevocationMode(X509RevocationMode.NoCheck);
                if (certificate is not null)
                {
                    tls.WithClientCertificates([certificate]);
                }
            })
            .Build();

    /// <summary>A demo CA with the broker's certificate, made by the same code as <c>keys dev-unit</c>.</summary>
    private sealed class Pki : IDisposable
    {
        private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        private readonly List<IDisposable> _owned = [];

        public Pki()
        {
            Ca = DevUnit.CreateCa(_caKey);
            Broker = Issue("CN=localhost", server: true);
        }

        public X509Certificate2 Ca { get; }

        public X509Certificate2 Broker { get; }

        public X509Certificate2 Client(string name) => Issue("CN=" + name, server: false);

        private X509Certificate2 Issue(string subject, bool server)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            _owned.Add(key);
            using var issued = DevUnit.Issue(Ca, key, subject, server, "localhost");
            var withKey = issued.CopyWithPrivateKey(key);
            _owned.Add(withKey);
            return withKey;
        }

        public void Dispose()
        {
            foreach (var o in _owned)
            {
                o.Dispose();
            }

            Ca.Dispose();
            _caKey.Dispose();
        }
    }
}
