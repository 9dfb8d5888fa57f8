using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

[TestFixture]
internal sealed class EvidenceTransitionsTests
{
    [TestCase(EvidenceState.Sealed, EvidenceState.Sending, true)]
    [TestCase(EvidenceState.Sending, EvidenceState.AwaitingAck, true)]
    [TestCase(EvidenceState.AwaitingAck, EvidenceState.Deleted, true)]
    [TestCase(EvidenceState.AwaitingAck, EvidenceState.Sealed, true)]
    [TestCase(EvidenceState.Sealed, EvidenceState.Expired, true)]
    [TestCase(EvidenceState.Expired, EvidenceState.Deleted, true)]
    [TestCase(EvidenceState.Sealed, EvidenceState.AwaitingAck, false)]
    [TestCase(EvidenceState.Expired, EvidenceState.Sending, false)]
    [TestCase(EvidenceState.Expired, EvidenceState.Sealed, false)]
    [TestCase(EvidenceState.Deleted, EvidenceState.Sealed, false)]
    [TestCase(EvidenceState.Deleted, EvidenceState.Deleted, false)]
    [TestCase(EvidenceState.Sending, EvidenceState.Sending, false)]
    public void IsAllowed_Pair_MatchesTheStateMachine(EvidenceState from, EvidenceState to, bool allowed) =>
        Assert.That(EvidenceTransitions.IsAllowed(from, to), Is.EqualTo(allowed));

    [Test]
    public void Name_EveryState_RoundTrips()
    {
        foreach (var state in Enum.GetValues<EvidenceState>())
        {
            Assert.That(EvidenceTransitions.Parse(EvidenceTransitions.Name(state)), Is.EqualTo(state));
        }
    }
}
