using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Uplink;

/// <summary>Loads the TLS material of an MQTT endpoint: the CA file, the client certificate and its private key (a credential).</summary>
internal static class UplinkCredentials
{
    /// <summary>Reads the city CA bundle (PEM). Throws <see cref="UplinkException"/> naming <paramref name="key"/> when it is missing or holds no certificate.</summary>
    public static X509Certificate2Collection LoadTrustRoots(string path, string key)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new UplinkException($"{key}: cannot read the CA file {path}: {e.Message}", e);
        }

        if (roots.Count == 0)
        {
            throw new UplinkException($"{key}: {path} holds no PEM certificate");
        }

        return roots;
    }

    /// <summary>The client certificate (public PEM file) joined with its private key (PEM text from a credential, never logged).</summary>
    public static X509Certificate2 LoadClientCertificate(string certificatePath, string key, string privateKeyPem, string credentialName)
    {
        string certificatePem;
        try
        {
            certificatePem = File.ReadAllText(certificatePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UplinkException($"{key}: cannot read {certificatePath}: {e.Message}", e);
        }

        try
        {
            using var withEphemeralKey = X509Certificate2.CreateFromPem(certificatePem, privateKeyPem);
            // SslStream on Linux wants the key in a form it can hand to OpenSSL for the handshake; a PKCS#12
            // round trip gives a certificate whose key is not tied to the PEM strings (dotnet/runtime#23749).
            return X509CertificateLoader.LoadPkcs12(withEphemeralKey.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            // The message says which file and which credential, never the key's bytes.
            throw new UplinkException($"{key}: the certificate {certificatePath} and the private key in credential '{credentialName}' do not load as a pair ({e.GetType().Name})", e);
        }
    }

    /// <summary>Builds the device's endpoint from <c>uplink.*</c>.</summary>
    public static MqttEndpoint DeviceEndpoint(LoadedConfig config, CredentialStore credentials)
    {
        var options = config.Options.Uplink;
        var broker = new Uri(options.Broker);
        var endpoint = new MqttEndpoint
        {
            Broker = broker,
            ClientId = options.ClientId ?? config.Options.Device.Id,
            KeepAlive = TimeSpan.FromSeconds(options.KeepAliveSeconds),
            SessionExpirySeconds = (uint)options.SessionExpirySeconds,
        };
        if (endpoint.Insecure)
        {
            return endpoint;
        }

        if (options.CaFile is null)
        {
            throw new UplinkException("uplink.ca_file: required for mqtts:// (the city's CA is the only trust root)");
        }

        if (options.ClientCertificate is null)
        {
            throw new UplinkException("uplink.client_certificate: required for mqtts:// (the device authenticates with it)");
        }

        string keyPem;
        try
        {
            keyPem = credentials.ReadText(options.ClientKeyCredential);
        }
        catch (CredentialException e)
        {
            throw new UplinkException($"uplink.client_key_credential: {e.Message}", e);
        }

        return endpoint with
        {
            TrustRoots = LoadTrustRoots(config.Resolve(options.CaFile), "uplink.ca_file"),
            ClientCertificate = LoadClientCertificate(config.Resolve(options.ClientCertificate), "uplink.client_certificate", keyPem, options.ClientKeyCredential),
        };
    }
}
