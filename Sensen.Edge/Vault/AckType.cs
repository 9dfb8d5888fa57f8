namespace Sensen.Edge.Vault;

/// <summary>What a city acknowledgement says (docs/PROTOCOL.md, Acknowledgements).</summary>
internal enum AckType
{
    /// <summary>The city holds the sealed blob whose hash the ack names: the only kind that deletes.</summary>
    Received,

    /// <summary>The city is missing the listed transport chunks and asks for them again; deletes nothing.</summary>
    Missing,
}
