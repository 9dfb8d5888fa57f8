namespace Sensen.Edge.Cli;

/// <summary>Defaults every verb shares, kept out of Hosting so that stage verbs need not import it.</summary>
internal static class CliDefaults
{
    /// <summary>Where the packaged unit keeps its configuration (see README, deployment).</summary>
    public const string ConfigPath = "/etc/sensen-edge/sensen-edge.yaml";
}
