namespace Sensen.Edge.Demo;

/// <summary>What an object is in the scene's story: the privacy stage keeps only an offender's plate.</summary>
internal enum SceneRole
{
    /// <summary>A vehicle that commits one of the expected violations; its plate stays readable as evidence.</summary>
    Offender,

    /// <summary>A vehicle that commits nothing; its plate must be obscured in any clip.</summary>
    Bystander,

    /// <summary>A person; the face must be obscured in any clip.</summary>
    Pedestrian,
}
