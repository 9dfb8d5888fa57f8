namespace Sensen.Edge.Vault;

/// <summary>A box in clip frame pixels, rounded to whole pixels.</summary>
internal sealed record ManifestBox(int X1, int Y1, int X2, int Y2);
