namespace Sensen.Edge.Receiver;

/// <summary>What one message did to an item's reassembly, and so which ack (if any) goes back.</summary>
internal enum ReceiveOutcomeKind
{
    /// <summary>Stored a part; the item is not complete and nobody asked yet: no ack.</summary>
    Pending,

    /// <summary>The device asked (a repeated manifest) and parts are missing: a <c>missing</c> ack.</summary>
    Missing,

    /// <summary>This message completed the item: it was verified, decrypted and written. A <c>received</c> ack.</summary>
    Stored,

    /// <summary>The item was stored before (by this or another instance) and the device asked again: a <c>received</c> ack.</summary>
    AlreadyStored,

    /// <summary>The message was refused (bad signature, unknown device, out of bounds): logged, no ack.</summary>
    Rejected,
}
