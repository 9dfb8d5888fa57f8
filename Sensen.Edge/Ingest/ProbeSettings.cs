namespace Sensen.Edge.Ingest;

/// <summary>What <c>sensen-edge probe</c> was asked to do.</summary>
internal sealed record ProbeSettings
{
    public required string Url { get; init; }

    /// <summary>How long to count frames after the first one arrived.</summary>
    public double Seconds { get; init; } = 5;

    public bool Json { get; init; }

    /// <summary>Name of a credential file holding <c>user:password</c>.</summary>
    public string? Credential { get; init; }

    /// <summary>Where credential files are; default as the daemon ($CREDENTIALS_DIRECTORY, then /etc/sensen-edge/credentials).</summary>
    public string? CredentialsDirectory { get; init; }

    public HardwareAcceleration Hwaccel { get; init; } = HardwareAcceleration.Auto;

    public RtspTransport Transport { get; init; } = RtspTransport.Tcp;

    /// <summary>Time allowed to connect and see the first frame, on top of <see cref="Seconds"/>.</summary>
    public double ConnectSeconds { get; init; } = 10;
}
