namespace Sensen.Edge.Privacy;

/// <summary>
/// How a region is obscured. <see cref="Fill"/> and <see cref="Mosaic"/> are irreversible; <see cref="Blur"/>
/// and <see cref="Pixelate"/> keep enough of the picture for published re-identification attacks
/// (docs/PRIVACY.md) and exist only as explicit opt-ins, logged as a warning at start-up.
/// </summary>
internal enum ObscureMethod
{
    /// <summary>A solid colour: nothing of the region is kept (the default).</summary>
    Fill,

    /// <summary>Blocks (16 across) of noise around the region's mean colour, drawn afresh per frame: only that mean is kept.</summary>
    Mosaic,

    /// <summary>Box blur approximating a Gaussian. Reversible: opt-in only.</summary>
    Blur,

    /// <summary>Block means without noise. Reversible: opt-in only.</summary>
    Pixelate,
}
