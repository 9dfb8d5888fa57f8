using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sensen.Edge.Tests.TestSupport;

/// <summary>
/// A throw-away city PKI made with the openssl command line (P-256 keys): a CA, the broker's certificate
/// for <c>localhost</c>/127.0.0.1, and client certificates whose CN is the device or receiver id.
/// </summary>
internal sealed class TestPki : IDisposable
{
    private TestPki(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string CaPath => Path.Combine(Directory, "ca.pem");

    public string CaKeyPath => Path.Combine(Directory, "ca.key");

    public string ServerCertPath => Path.Combine(Directory, "server.pem");

    public string ServerKeyPath => Path.Combine(Directory, "server.key");

    public static TestPki Create(string? directory = null)
    {
        var pki = new TestPki(directory ?? System.IO.Directory.CreateTempSubdirectory("sensen-pki-").FullName);
        pki.OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", pki.CaKeyPath, "-out", pki.CaPath,
            "-days", "3", "-subj", "/CN=Sensen Test City CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        pki.Issue("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        return pki;
    }

    /// <summary>A client certificate for <paramref name="commonName"/>: returns the certificate path and the key's PEM text (a credential's content).</summary>
    public (string CertificatePath, string KeyPem) IssueClient(string commonName)
    {
        Issue(commonName, commonName, "extendedKeyUsage=clientAuth\n");
        return (Path.Combine(Directory, commonName + ".pem"), File.ReadAllText(Path.Combine(Directory, commonName + ".key")));
    }

    /// <summary>
    /// A client certificate, signed by the same CA, that was valid for one second from the CA's own start (a
    /// certificate cannot start before its issuer): expired by the time anyone uses it. openssl 3.0's
    /// <c>x509 -req</c> cannot set those dates, so this one is made with .NET's <see cref="CertificateRequest"/>.
    /// </summary>
    public (string CertificatePath, string KeyPem) IssueExpiredClient(string commonName)
    {
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(File.ReadAllText(CaKeyPath));
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(CaPath)).CopyWithPrivateKey(caKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var notBefore = new DateTimeOffset(ca.NotBefore.ToUniversalTime());
        using var certificate = request.Create(ca, notBefore, notBefore.AddSeconds(1), RandomNumberGenerator.GetBytes(8));
        var path = Path.Combine(Directory, commonName + "-expired.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return (path, key.ExportPkcs8PrivateKeyPem());
    }

    private void Issue(string name, string commonName, string extensions)
    {
        var key = Path.Combine(Directory, name + ".key");
        var csr = Path.Combine(Directory, name + ".csr");
        var ext = Path.Combine(Directory, name + ".ext");
        File.WriteAllText(ext, extensions);
        OpenSsl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr, "-subj", $"/CN={commonName}");
        OpenSsl("x509", "-req", "-in", csr, "-CA", CaPath, "-CAkey", CaKeyPath, "-CAcreateserial", "-out", Path.Combine(Directory, name + ".pem"), "-days", "2", "-sha256", "-extfile", ext);
    }

    private void OpenSsl(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = Directory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {arguments[0]} failed ({process.ExitCode}): {stderr.Result}");
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A broker still writing its persistence file at teardown; the temp directory is cleaned by the OS.
        }
    }
}
