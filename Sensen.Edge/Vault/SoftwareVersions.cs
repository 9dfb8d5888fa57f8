using System.Reflection;

namespace Sensen.Edge.Vault;

/// <summary>The daemon's version as manifests state it: the assembly's informational version (from <c>Version</c> in Directory.Build.props).</summary>
internal static class SoftwareVersions
{
    public static string Current { get; } =
        typeof(SoftwareVersions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(SoftwareVersions).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
