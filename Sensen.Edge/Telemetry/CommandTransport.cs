namespace Sensen.Edge.Telemetry;

/// <summary>The operator's own TLS identity towards the broker.</summary>
internal sealed record CommandTransport(string Broker, string CaFile, string CertificateFile, string ClientKeyFile, TimeSpan Timeout);

