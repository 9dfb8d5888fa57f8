using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Configuration;

/// <summary>Who this unit is and where it keeps its state.</summary>
internal sealed record DeviceOptions
{
    /// <summary>Unit identity, used in topics, manifests and telemetry. Letters, digits, '-', '_' and '.'.</summary>
    [Required]
    public string Id { get; init; } = "";

    /// <summary>Free text for operators: the intersection or road the unit watches.</summary>
    public string? Site { get; init; }

    /// <summary>Writable state (vault database, TensorRT engine cache). systemd's StateDirectory.</summary>
    public string StateDirectory { get; init; } = "/var/lib/sensen-edge";

    /// <summary>
    /// Where secrets are read from, one file per credential. Defaults to systemd's
    /// <c>$CREDENTIALS_DIRECTORY</c> (LoadCredential=), then <c>/etc/sensen-edge/credentials</c>.
    /// </summary>
    public string? CredentialsDirectory { get; init; }

    /// <summary>Time zone used to evaluate rule schedules (IANA name).</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>How long a stop may take before the host gives up on a stage.</summary>
    [Range(1, 300)]
    public int ShutdownTimeoutSeconds { get; init; } = 15;
}
