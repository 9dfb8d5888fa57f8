namespace Sensen.Edge.Detection;

/// <summary>A manifest that was read and checked, with its model file located and hashed.</summary>
/// <param name="Name">The manifest's name (<c>NAME</c> of <c>NAME.yaml</c>).</param>
/// <param name="Manifest">The manifest's values.</param>
/// <param name="ManifestPath">Absolute path of the manifest.</param>
/// <param name="ModelPath">Absolute path of the model file, whose SHA-256 matched the manifest.</param>
internal sealed record ModelDescriptor(string Name, ModelManifest Manifest, string ManifestPath, string ModelPath)
{
    public string Sha256 => Manifest.Sha256;
}
