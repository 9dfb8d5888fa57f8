using System.Security.Cryptography;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Telemetry;

/// <summary>Loads <c>telemetry.operators[]</c>'s public keys; every refusal names the config key and path, never the content.</summary>
internal static class OperatorKeys
{
    public static IReadOnlyList<OperatorKey> Load(TelemetryOptions telemetry, string configDirectory)
    {
        var keys = new List<OperatorKey>();
        for (var i = 0; i < telemetry.Operators.Count; i++)
        {
            var entry = telemetry.Operators[i];
            var path = Path.GetFullPath(entry.PublicKey, configDirectory);
            var where = $"telemetry.operators[{i}].public_key ({path})";
            string pem;
            try
            {
                pem = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CredentialException($"{where}: cannot read the operator's public key: {e.Message}", e);
            }

            if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                throw new CredentialException($"{where}: holds a private key; the unit needs only the operator's public key");
            }

            var key = ECDsa.Create();
            try
            {
                key.ImportFromPem(pem);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                key.Dispose();
                throw new CredentialException($"{where}: not an EC public key in PEM (make one with: sensen-edge command keygen --out DIR)", e);
            }

            if (key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                key.Dispose();
                throw new CredentialException($"{where}: not a P-256 key");
            }

            keys.Add(new OperatorKey(entry.Id, entry.Role, key));
        }

        return keys;
    }
}
