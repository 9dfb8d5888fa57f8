using Sensen.Edge.Privacy;

namespace Sensen.Edge.Recording;

/// <summary>
/// The registered clip anonymiser, resolved on the first clip rather than when the host builds its services:
/// the real one is built over the loaded detectors, and models load only after the vault is open
/// (docs/PIPELINE.md, start order). Privacy's own start-up service builds it while the host starts, so the
/// first clip finds it ready.
/// </summary>
internal sealed class DeferredClipAnonymiser(Lazy<IClipAnonymiser> anonymiser) : IClipAnonymiser
{
    public IClipAnonymisation Open(ClipSubject subject) => anonymiser.Value.Open(subject);
}
