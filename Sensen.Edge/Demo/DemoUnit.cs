using Sensen.Edge.Vault;

namespace Sensen.Edge.Demo;

/// <summary>Where <see cref="DemoProvisioning"/> put the demo unit (<c>DIR/unit</c>, as <c>keys dev-unit</c> lays it out) and the demo city (<c>DIR/city</c>).</summary>
internal sealed record DemoUnit(string Root)
{
    public string UnitDirectory => Path.Combine(Root, "unit");

    /// <summary>The unit's configuration, pointed at its credentials, state and keys.</summary>
    public string ConfigPath => Path.Combine(UnitDirectory, DevUnit.ConfigFile);

    public string CredentialsDirectory => Path.Combine(UnitDirectory, DevUnit.CredentialsDirectory);

    public string StateDirectory => Path.Combine(UnitDirectory, DevUnit.StateDirectory);

    public string CaFile => Path.Combine(UnitDirectory, DevUnit.CaFile);

    public string CaKeyFile => Path.Combine(UnitDirectory, DevUnit.CaKeyFile);

    public string BrokerCertificateFile => Path.Combine(UnitDirectory, DevUnit.BrokerCertificateFile);

    public string BrokerKeyFile => Path.Combine(UnitDirectory, DevUnit.BrokerKeyFile);

    /// <summary>The city's ECDH private key (unwraps the clips' keys); the receiver's.</summary>
    public string CityPrivateFile => Path.Combine(UnitDirectory, KeysCommand.CityPrivateFile);

    /// <summary>The city's ack-signing key; the receiver's.</summary>
    public string CityAckFile => Path.Combine(UnitDirectory, KeysCommand.CityAckPrivateFile);

    public string CityDirectory => Path.Combine(Root, "city");

    /// <summary>Device public keys, one <c>DEVICE-ID.pem</c> each (the receiver's <c>device_keys_directory</c>).</summary>
    public string DevicesDirectory => Path.Combine(CityDirectory, "devices");

    /// <summary>What the receiver reassembled, verified and decrypted (<c>evidence/DEVICE/ID/{clip.mp4,manifest.json}</c>).</summary>
    public string ReceivedDirectory => Path.Combine(CityDirectory, "received");

    public string ReceiverCertificateFile => Path.Combine(CityDirectory, "receiver-cert.pem");

    public string ReceiverKeyFile => Path.Combine(CityDirectory, "receiver-key.pem");
}
