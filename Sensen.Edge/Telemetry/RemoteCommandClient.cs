using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// Operator side of <c>sensen-edge command send</c> and <c>queue hold|release --operator-key</c>: connects to the
/// broker with the operator's own client certificate (MQTT 5, TLS, the city CA as the only root), publishes one
/// signed command on the unit's command topic, and waits for the result carrying its nonce.
/// </summary>
internal static class RemoteCommandClient
{
    public static async Task<CommandResult?> SendAsync(MqttEndpoint endpoint, string topicPrefix, string deviceId, byte[] signedCommand, string nonce, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var commands = UplinkProtocol.DeviceTopic(topicPrefix, deviceId, DeviceMqtt.CommandsTopic);
        var results = UplinkProtocol.DeviceTopic(topicPrefix, deviceId, DeviceMqtt.CommandResultTopic);
        var answer = new TaskCompletionSource<CommandResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var session = new MqttSession(endpoint, TimeProvider.System, NullLogger.Instance);
        session.Connected = (client, _, ct) => MqttSession.SubscribeAsync(client, results, ct);
        session.MessageReceived = e =>
        {
            if (e.ApplicationMessage.Topic == results)
            {
                try
                {
                    var result = JsonSerializer.Deserialize<CommandResult>(Encoding.UTF8.GetString(e.ApplicationMessage.Payload), CanonicalJson.Options);
                    if (result?.Nonce == nonce)
                    {
                        answer.TrySetResult(result);
                    }
                }
                catch (JsonException)
                {
                    // Not a result: someone else's traffic on the topic.
                }
            }

            return Task.CompletedTask;
        };

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(timeout);
        var run = Task.Run(() => session.RunAsync(stop.Token), CancellationToken.None);
        try
        {
            await session.WhenConnectedAsync(stop.Token).ConfigureAwait(false);
            var published = await session.Client.PublishAsync(
                new MqttApplicationMessageBuilder().WithTopic(commands).WithPayload(signedCommand)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithContentType("application/jose").Build(),
                stop.Token).ConfigureAwait(false);
            if (published.ReasonCode is not (MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers))
            {
                throw new UplinkSendException($"the broker refused the command on {commands}: {published.ReasonCode}");
            }

            return await answer.Task.WaitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await run.ConfigureAwait(false);
        }
    }

    /// <summary>The operator's TLS endpoint: their certificate and key files, a unique client id, no lasting session.</summary>
    public static MqttEndpoint Endpoint(string broker, string caFile, string certificateFile, string clientKeyFile, string operatorId) => new()
    {
        Broker = new Uri(broker),
        ClientId = $"{operatorId}-cli-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}",
        TrustRoots = broker.StartsWith("mqtt://", StringComparison.Ordinal) ? null : UplinkCredentials.LoadTrustRoots(caFile, "--ca"),
        ClientCertificate = broker.StartsWith("mqtt://", StringComparison.Ordinal) ? null : UplinkCredentials.LoadClientCertificate(certificateFile, "--cert", File.ReadAllText(clientKeyFile), "--client-key"),
        SessionExpirySeconds = 0,
        BackoffBase = TimeSpan.FromMilliseconds(200),
        BackoffMax = TimeSpan.FromSeconds(2),
    };
}
